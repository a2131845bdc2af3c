import { afterEach, describe, expect, it } from "vitest";
import { startApp } from "../../support/core.js";
import { startFakeTelegram, TEST_TOKEN, textUpdate, type FakeTelegram } from "../../support/telegram-api.js";

const QUESTION = "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?";

let api: FakeTelegram | undefined;
let app: Awaited<ReturnType<typeof startApp>> | undefined;
afterEach(async () => {
  await app?.cleanup();
  await api?.close();
  app = undefined;
  api = undefined;
});

describe("Telegram through the whole app (start.ts wiring)", () => {
  it("long polling: registers German commands, clears a webhook, answers an update fetched by getUpdates, stops cleanly", async () => {
    api = await startFakeTelegram();
    app = await startApp({ TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot });

    expect(api.callsTo("getMe")).toHaveLength(1);
    expect(api.callsTo("deleteWebhook")).toHaveLength(1);
    const [all, groups] = api.callsTo("setMyCommands");
    expect(all.body.commands.map((c: { command: string }) => c.command)).toEqual(["start", "hilfe", "themen", "frage", "fristen", "mensch", "digest", "datenschutz", "meine_daten", "loeschen"]);
    expect(all.body.commands[0].description).toBe("Begrüßung und kurze Anleitung");
    expect(groups.body.scope).toEqual({ type: "all_group_chats" });
    expect(groups.body.commands.map((c: { command: string }) => c.command)).not.toContain("meine_daten");

    const health = await (await fetch(`${app.baseUrl}/health`)).json();
    expect(health.channels.telegram).toBe(true);

    api.pushUpdate(textUpdate(QUESTION, { chatId: 4711, from: { id: 4711, first_name: "Polly" } }));
    const answer = await api.waitFor((c) => c.method === "sendMessage" && c.body.chat_id === 4711);
    expect(answer.body.text).toContain("Unfallkasse");
    const poll = api.callsTo("getUpdates")[0];
    expect(poll.body.allowed_updates).toEqual(["message", "callback_query", "my_chat_member"]);
    expect(poll.body.timeout).toBe(30);

    const t0 = Date.now();
    await app.cleanup();
    app = undefined;
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it("webhook mode: sets the webhook with its secret; the route refuses requests without it and answers with it, once per update", async () => {
    api = await startFakeTelegram();
    app = await startApp({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_URL: "https://ortslotse.example.org/telegram",
      TELEGRAM_WEBHOOK_SECRET: "geheim_123_lang_genug",
    });
    const [hook] = api.callsTo("setWebhook");
    expect(hook.body).toMatchObject({ url: "https://ortslotse.example.org/telegram", secret_token: "geheim_123_lang_genug", allowed_updates: ["message", "callback_query", "my_chat_member"] });
    expect(api.callsTo("getUpdates")).toHaveLength(0);

    const update = textUpdate(QUESTION, { chatId: 4712, from: { id: 4712, first_name: "Webhook" } });
    const post = (headers: Record<string, string>) =>
      fetch(`${app!.baseUrl}/telegram`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(update) });

    expect((await post({})).status).toBe(401);
    expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "falsch" })).status).toBe(401);
    expect(api.sent(4712)).toHaveLength(0);

    expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "geheim_123_lang_genug" })).status).toBe(200);
    expect(api.sent(4712)).toHaveLength(1);
    expect(api.sent(4712)[0].body.text).toContain("Unfallkasse");
    // Telegram re-sends an update it thinks was lost: answered once.
    expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "geheim_123_lang_genug" })).status).toBe(200);
    expect(api.sent(4712)).toHaveLength(1);
  });
});
