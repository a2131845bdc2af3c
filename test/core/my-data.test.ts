import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import type { Incoming } from "../../src/core/types.js";

type TestCore = Awaited<ReturnType<typeof makeCore>>;
let core: TestCore;
beforeAll(async () => {
  core = await makeCore();
});
afterAll(async () => core.cleanup());

const web = (text: string, id = "w-priv"): Incoming => ({ channel: "web", conversationId: id, userId: id, isGroup: false, text });

describe("my data and deletion, written once in the core (web chat, typed commands)", () => {
  it("shows what is stored, asks before deleting, then deletes only this person's data", async () => {
    await core.assistant.handle(web("Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?"));
    const other = await core.assistant.handle(web("Können Sie mich zurückrufen?", "w-other"));
    const mine = await core.assistant.handle(web("/meine_daten"));
    expect(mine.text).toContain("Das ist über Sie gespeichert (im Web-Chat dieses Browsers)");
    expect(mine.text).toContain("Sind Helfer bei Arbeitseinsätzen");
    expect(mine.ticket).toBeUndefined();

    const ask = await core.assistant.handle(web("/loeschen"));
    expect(ask.text).toContain("/loeschen ja");
    expect((await core.store.exportUserData("web", "w-priv")).turns.length).toBeGreaterThan(0);

    const done = await core.assistant.handle(web("/loeschen ja"));
    expect(done.text).toMatch(/^Erledigt: \d+ gespeicherte/);
    expect((await core.store.exportUserData("web", "w-priv")).turns).toEqual([]);
    expect(await core.store.getTicket(other.ticket!.id)).toBeDefined();
  });

  it("never shows personal data in a group chat", async () => {
    const r = await core.assistant.handle({ channel: "telegram", conversationId: "-100", userId: "7", isGroup: true, text: "meine Daten" });
    expect(r.text).toContain("nur im Einzelchat");
  });
});
