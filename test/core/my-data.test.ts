import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import type { Incoming } from "../../src/core/types.js";
import { collectMyData } from "../../src/core/my-data.js";

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
    // Asking what is stored right after stores nothing new (the chat's address came back before).
    expect((await core.assistant.handle(web("/meine_daten"))).text).toBe("Über Sie sind keine Fragen und keine Vorgänge gespeichert.");
    expect(await core.store.getTicket(other.ticket!.id)).toBeDefined();
  });

  it("counts questions apart from greetings and commands, and lists only real questions as the last ones", async () => {
    const id = "w-count";
    await core.assistant.handle(web("Guten Morgen!", id));
    await core.assistant.handle(web("/fristen", id));
    await core.assistant.handle(web("Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?", id));
    await core.assistant.handle(web("Welche Windkraftanlagen sind in der VG Ruwer geplant?", id));
    const mine = await core.assistant.handle(web("/meine_daten", id));
    expect(mine.text).toMatch(/• \d+ Nachrichten an Ortslotse, davon 2 Fragen \(1 beantwortet, 1 an das Team gegeben\)/);
    const recent = mine.text.slice(mine.text.indexOf("Ihre letzten Fragen:"));
    expect(recent).toContain("Windkraftanlagen");
    expect(recent).not.toContain("/fristen");
    expect(recent).not.toContain("Guten Morgen");
  });

  it("names what the person gave for the team with the Vorgang (name, Ortsgemeinde, how to reach them)", async () => {
    const id = "w-given";
    const r = await core.assistant.handle(web("Welche Windkraftanlagen sind in der VG Ruwer geplant?", id));
    await core.store.setTicketContact(r.ticket!.id, { userName: "Hildegard Probst", village: "Waldrach" });
    await core.store.addTicketMessage(r.ticket!.id, { from: "mayor", author: "Hildegard Probst", text: "Erreichbar unter: 06581 12345" });
    const mine = await core.assistant.handle(web("/meine_daten", id));
    expect(mine.text).toContain(`Vorgang Nr. ${r.ticket!.id} beim Team (offen)`);
    expect(mine.text).toContain("Ihre Angaben: Hildegard Probst, Waldrach; erreichbar unter 06581 12345");
  });

  it("never shows personal data in a group chat", async () => {
    const r = await core.assistant.handle({ channel: "telegram", conversationId: "-100", userId: "7", isGroup: true, text: "meine Daten" });
    expect(r.text).toContain("nur im Einzelchat");
  });
});

describe("my data covers everything kept about the person", () => {
  it("lists the chat address, the digest subscription and an invite unlock, and the JSON export carries them", async () => {
    const id = "w-full";
    await core.store.saveConversation({ channel: "web", conversationId: id, isGroup: false, reference: { session: id } });
    await core.store.subscribe({ channel: "web", conversationId: id });
    await core.store.addMember("web", id, "invite:ABCD…");
    const data = await collectMyData(core.store, "web", id);
    expect(data).toMatchObject({ conversation: { conversationId: id }, subscribed: true, member: true });
    const text = (await core.assistant.handle(web("/meine_daten", id))).text;
    expect(text).toContain("Adresse Ihres Chats");
    expect(text).toContain("Abo des Wochenüberblicks");
    expect(text).toContain("Einladungscode");
    // Someone else's export shows none of it.
    const other = await collectMyData(core.store, "web", "w-nobody");
    expect(other).toEqual({ turns: [], tickets: [], subscribed: false, member: false });
  });
});
