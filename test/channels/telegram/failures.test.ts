import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GrammyError } from "grammy";
import { RecipientGoneError } from "../../../src/core/ports.js";
import { callbackUpdate, textUpdate, type Person } from "../../support/telegram-api.js";
import { telegramHarness, type Harness } from "./harness.js";

let nextUser = 11_000;
const person = (): Person => ({ id: nextUser++, first_name: "Frieda", last_name: "Fehler" });
const QUESTION = "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?";

describe("Telegram Bot API failures (production retry settings)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await telegramHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("waits out a 429 (retry_after) and then delivers the answer", async () => {
    const p = person();
    h.api.fail("sendMessage", { kind: "429", retryAfter: 1 }, { chatId: p.id });
    await h.send(textUpdate(QUESTION, { from: p }));
    const attempts = h.api.callsTo("sendMessage").filter((c) => c.body.chat_id === p.id);
    expect(attempts.map((c) => c.response.error_code ?? 200)).toEqual([429, 200]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(900);
    expect(attempts[1].body.text).toContain("Unfallkasse");
  });

  it("retries a 500 once it clears and delivers the answer", async () => {
    const p = person();
    h.api.fail("sendMessage", { kind: "500" }, { chatId: p.id });
    await h.send(textUpdate(QUESTION, { from: p }));
    const attempts = h.api.callsTo("sendMessage").filter((c) => c.body.chat_id === p.id);
    expect(attempts.map((c) => c.response.error_code ?? 200)).toEqual([500, 200]);
    expect((await h.core.store.listTickets()).some((t) => t.conversationId === String(p.id))).toBe(false);
  });

  it("keeps the question when the connection to Telegram breaks while answering (no endless network retries)", async () => {
    const p = person();
    h.api.fail("sendMessage", { kind: "network" }, { chatId: p.id });
    const t0 = Date.now();
    await h.send(textUpdate(QUESTION, { from: p }));
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(h.api.callsTo("sendMessage").filter((c) => c.body.chat_id === p.id)).toHaveLength(1);
    const ticket = (await h.core.store.listTickets()).find((t) => t.conversationId === String(p.id));
    expect(ticket).toMatchObject({ reason: "delivery_failed", question: QUESTION });
  });

  it("still stores the feedback when Telegram rejects the callback answer (button pressed long ago)", async () => {
    const p = person();
    await h.send(textUpdate(QUESTION, { from: p }));
    const answer = h.api.sent(p.id)[0];
    const data = answer.body.reply_markup.inline_keyboard[0][0].callback_data as string;
    h.api.fail("answerCallbackQuery", { kind: "error", code: 400, description: "Bad Request: query is too old and response timeout expired or query ID is invalid" });
    await h.send(callbackUpdate(data, { chatId: p.id, messageId: answer.response.result.message_id }, p));
    expect((await h.core.store.getTurn(Number(data.split(":")[1])))?.feedback).toBe(1);
  });

  it("does not crash when the mayor blocked the bot mid-conversation (403 on sendMessage)", async () => {
    const p = person();
    h.api.fail("sendMessage", { kind: "error", code: 403, description: "Forbidden: bot was blocked by the user" }, { chatId: p.id, times: 5 });
    await expect(h.send(textUpdate("/start", { from: p }))).resolves.toBeUndefined();
    await h.send(textUpdate("/hilfe", { from: { ...p } }));
    h.api.clearFailures();
  });

  it("sender: a blocked or deleted chat raises RecipientGoneError (digests unsubscribe it)", async () => {
    const conv = { channel: "telegram" as const, conversationId: "12345", isGroup: false, reference: { chatId: 12345 } };
    h.api.fail("sendMessage", { kind: "error", code: 403, description: "Forbidden: bot was blocked by the user" });
    await expect(h.rt.sender.send(conv, { kind: "digest", text: "Wochenüberblick" })).rejects.toBeInstanceOf(RecipientGoneError);
    h.api.fail("sendMessage", { kind: "error", code: 400, description: "Bad Request: chat not found" });
    await expect(h.rt.sender.send(conv, { kind: "digest", text: "Wochenüberblick" })).rejects.toBeInstanceOf(RecipientGoneError);
    h.api.fail("sendMessage", { kind: "error", code: 403, description: "Forbidden: bot was kicked from the supergroup chat" });
    await expect(h.rt.sender.send({ ...conv, conversationId: "-100999", isGroup: true, reference: { chatId: -100999 } }, { kind: "digest", text: "x" })).rejects.toBeInstanceOf(
      RecipientGoneError,
    );
  });

  it("sender: other errors are rethrown, so the hand-over keeps the ticket open and shows the error", async () => {
    h.api.fail("sendMessage", { kind: "error", code: 400, description: "Bad Request: message is too long" });
    const send = h.rt.sender.send({ channel: "telegram", conversationId: "778", isGroup: false, reference: { chatId: 778 } }, { kind: "staff_answer", text: "x" });
    await expect(send).rejects.toBeInstanceOf(GrammyError);
    await expect(send).rejects.not.toBeInstanceOf(RecipientGoneError);
  });

  it("sender: follows a group that became a supergroup, and sends into the stored forum topic", async () => {
    h.api.fail("sendMessage", { kind: "error", code: 400, description: "Bad Request: group chat was upgraded to a supergroup chat", parameters: { migrate_to_chat_id: -100424242 } });
    await h.rt.sender.send({ channel: "telegram", conversationId: "-4242", isGroup: true, reference: { chatId: -4242 } }, { kind: "digest", text: "Überblick" });
    expect(h.api.sent(-100424242)).toHaveLength(1);

    await h.rt.sender.send({ channel: "telegram", conversationId: "-100555:12", isGroup: true, reference: { chatId: -100555, threadId: 12 } }, { kind: "staff_answer", text: "A & <B>" });
    const [msg] = h.api.sent(-100555);
    expect(msg.body).toMatchObject({ message_thread_id: 12, parse_mode: "HTML", text: "<b>A &amp; &lt;B&gt;</b>" });
  });
});

describe("Telegram Bot API failing for good (retries shortened)", () => {
  let h: Harness;
  beforeAll(async () => {
    // Production waits 3 s + 6 s + 12 s between 5xx retries; one 3 s backoff is enough to show the path.
    h = await telegramHarness({}, { retry: { maxRetryAttempts: 0 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("keeps a question whose answer cannot be delivered (500): a delivery_failed ticket with the draft", async () => {
    const p = person();
    h.api.fail("sendMessage", { kind: "500" }, { chatId: p.id, times: Infinity });
    await expect(h.send(textUpdate(QUESTION, { from: p }))).resolves.toBeUndefined();
    expect(h.api.callsTo("sendMessage").filter((c) => c.body.chat_id === p.id).every((c) => c.response.error_code === 500)).toBe(true);
    const ticket = (await h.core.store.listTickets()).find((t) => t.conversationId === String(p.id));
    expect(ticket).toMatchObject({ reason: "delivery_failed", status: "open", question: QUESTION, userName: "Frieda Fehler" });
    expect(ticket!.draftAnswer).toContain("Unfallkasse");
    expect(ticket!.passages[0].title).toContain("Sind Helfer");
  });
});
