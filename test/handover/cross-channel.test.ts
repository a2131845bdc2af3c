import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/core.js";
import { startFakeTelegram, textUpdate, sentMessage, buttonData, callbackUpdate, type FakeTelegram } from "../support/telegram-api.js";
import { postActivity, startTeamsCapture, teamsActivity, cardText, cardOf, type TeamsCapture } from "../support/teams-capture.js";

const STAFF_CHAT = -100777;
const STAFF = { id: 9001, first_name: "Andrea", last_name: "Schuh" };
const OUTSIDER = { id: 9002, first_name: "Fremd" };

/**
 * The whole app as `npm start` runs it: a Teams mayor's question is handed over, posted into the
 * Telegram staff group (real grammY polling loop against the fake Bot API), a staff member replies
 * to that post in Telegram, and the answer reaches the mayor's Teams conversation.
 */
describe("hand-over across channels: Teams mayor, Telegram staff group", () => {
  let tg: FakeTelegram;
  let teams: TeamsCapture;
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    tg = await startFakeTelegram({ maxPollMs: 200 });
    teams = await startTeamsCapture();
    tg.setMember(STAFF_CHAT, STAFF.id, "member");
    tg.setMember(STAFF_CHAT, OUTSIDER.id, "left");
    app = await startApp({
      TELEGRAM_BOT_TOKEN: "123:TEST",
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT),
      TEAMS_ALLOW_UNAUTHENTICATED: "true",
    });
  });
  afterAll(async () => {
    await app?.cleanup();
    await tg?.close();
    await teams?.close();
  });

  it("delivers a Telegram staff reply to the Teams mayor and marks the ticket answered; outsiders cannot claim", async () => {
    const conv = "a:personal-mayor-teams";
    const res = await postActivity(app.baseUrl, teamsActivity(teams.serviceUrl, {
      text: "Welche Windkraftanlagen sind in der VG Ruwer geplant?",
      conversation: { id: conv, conversationType: "personal", tenantId: "t1" },
      from: { id: "29:mayor", name: "OB Kell", aadObjectId: "aad-mayor" },
    }));
    expect(res.status).toBeLessThan(300);
    const told = teams.messages(conv).map((c) => `${c.body.text ?? ""} ${cardText(cardOf(c)) ?? ""}`).join("\n");
    const ticketId = Number(/Vorgangsnummer:?\s*(\d+)/.exec(told)?.[1]);
    expect(ticketId).toBeGreaterThan(0);

    const post = await tg.waitFor((c) => c.method === "sendMessage" && String(c.body.chat_id) === String(STAFF_CHAT) && new RegExp(`${ticketId}`).test(c.body.text));
    expect(post.body.text).toMatch(/Windkraftanlagen/);
    const postMsg = sentMessage(post);

    // Someone outside the staff chat presses "Übernehmen": refused, ticket stays open.
    tg.pushUpdate(callbackUpdate(buttonData(post, /Übernehmen/), { chatId: STAFF_CHAT, messageId: postMsg.message_id }, OUTSIDER));
    await tg.waitFor((c) => c.method === "answerCallbackQuery" && /Team|berechtigt|Mitglied/i.test(c.body.text ?? ""));
    expect((await app.core.store.getTicket(ticketId))!.status).toBe("open");

    tg.pushUpdate(textUpdate("Uns liegen keine Pläne vor. Bitte fragen Sie bei der VG Ruwer nach.", {
      chatId: STAFF_CHAT, chatType: "supergroup", from: STAFF, replyTo: postMsg,
    }));
    await tg.waitFor((c) => c.method === "sendMessage" && String(c.body.chat_id) === String(STAFF_CHAT) && /zugestellt/i.test(c.body.text));
    const delivered = teams.messages(conv).find((c) => /Uns liegen keine Pläne vor/.test(JSON.stringify(c.body)));
    expect(delivered).toBeDefined();
    expect(JSON.stringify(delivered!.body)).toMatch(new RegExp(`Anfrage Nr\\. ${ticketId}`));
    const t = await app.core.store.getTicket(ticketId);
    expect(t).toMatchObject({ status: "answered", channel: "teams", conversationId: conv });
    expect(t!.staffMember).toMatch(/Andrea/);
  });
});
