import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramChannel } from "../../../src/channels/telegram/index.js";
import { runDigest } from "../../../src/digest/run-digest.js";
import { makeCore, silentLog } from "../../support/core.js";
import { textUpdate, type Person } from "../../support/telegram-api.js";
import { telegramHarness, type Harness } from "./harness.js";

describe("Telegram weekly digest", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await telegramHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("delivers to a group subscribed with /digest an (bold heading, escaped, in its forum topic); a chat that blocked the bot is unsubscribed", async () => {
    const admin: Person = { id: 1201, first_name: "Gerda", last_name: "Gruppenadmin" };
    const chatId = -1009001;
    h.api.setMember(chatId, admin.id, "creator");
    await h.send(textUpdate("/digest an", { chatId, from: admin, threadId: 5 }));
    const gone: Person = { id: 1202, first_name: "Bernd" };
    await h.send(textUpdate("/digest an", { from: gone }));
    expect(await h.core.store.isSubscribed("telegram", `${chatId}:5`)).toBe(true);
    expect(await h.core.store.isSubscribed("telegram", String(gone.id))).toBe(true);

    h.api.fail("sendMessage", { kind: "error", code: 403, description: "Forbidden: bot was blocked by the user" }, { chatId: gone.id });
    const report = await runDigest(h.core);
    expect(report).toMatchObject({ sent: 1, unsubscribed: 1 });

    const digest = h.api.sent(chatId).at(-1)!;
    expect(digest.body.message_thread_id).toBe(5);
    expect(digest.body.text).toMatch(/^<b>Ortslotse – Wochenüberblick \(.+\)<\/b>\n/);
    expect(digest.body.text).toContain("/digest aus");
    expect(await h.core.store.isSubscribed("telegram", String(gone.id))).toBe(false);
  });
});

describe("Telegram with ACCESS_MODE=invite", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await telegramHarness({ ACCESS_MODE: "invite", CONTACT_TEXT: "Leitstelle Familie, Tel. 0651 715-0" });
    await h.core.store.createInvite("Einladung_2026-abc", "test");
  });
  afterAll(async () => {
    await h.close();
  });

  it("refuses people without an invite, /mensch included; the invite link's /start CODE lets them in", async () => {
    const p: Person = { id: 1301, first_name: "Ina", last_name: "Eingeladen" };
    await h.send(textUpdate("/start", { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("nur für freigeschaltete");
    await h.send(textUpdate("/mensch Bitte um Rückruf", { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("Leitstelle Familie");
    expect((await h.core.store.listTickets()).filter((t) => t.userId === String(p.id))).toHaveLength(0);
    await h.send(textUpdate("Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?", { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).not.toContain("Unfallkasse");

    await h.send(textUpdate("/start Einladung_2026-abc", { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("Ihr Zugang ist freigeschaltet");
    await h.send(textUpdate("Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?", { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("Unfallkasse");
  });
});

describe("Telegram channel switched off", () => {
  it("is not created without TELEGRAM_BOT_TOKEN", async () => {
    const core = await makeCore();
    try {
      expect(await createTelegramChannel({ config: core.config, core, log: silentLog })).toBeUndefined();
    } finally {
      await core.cleanup();
    }
  });
});
