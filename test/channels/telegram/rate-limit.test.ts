import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonData, callbackUpdate, sentMessage, textUpdate, type Person } from "../../support/telegram-api.js";
import { telegramHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await telegramHarness({ RATE_LIMIT_PER_MINUTE: "2", KNOWLEDGE_DIR: "knowledge" });
});
afterAll(async () => {
  await h.close();
});

let next = 8800;
const mayor = (): Person => ({ id: next++, first_name: "Ute", last_name: "Eilig" });

describe("Telegram: too many messages at once", () => {
  it("the notice answers the very message it did not answer, in a private chat too", async () => {
    const p = mayor();
    await h.send(textUpdate("Wie hoch ist die Ehrenamtspauschale?", { from: p }));
    await h.send(textUpdate("Was ist die Ehrenamtskarte?", { from: p }));
    const third = textUpdate("Wer berät zur Dorferneuerung?", { from: p });
    await h.send(third);
    const notice = h.api.sent(p.id).at(-1)!;
    expect(notice.body.text).toContain("sehr viele Nachrichten");
    expect(notice.body.reply_parameters?.message_id).toBe(third.message.message_id);
    // A second notice names its own message: two notices in a row are not the same text.
    await h.send(textUpdate("Und wer zahlt das Festzelt?", { from: p }));
    const second = h.api.sent(p.id).at(-1)!;
    expect(second.body.text).toContain("„Und wer zahlt das Festzelt?“");
    expect(second.body.text).not.toBe(notice.body.text);
    // Answers within the limit stay plain messages, as before.
    expect(h.api.sent(p.id)[0].body.reply_parameters).toBeUndefined();
  });

  it("a limited button press gives the buttons back, so it can be pressed again", async () => {
    const p = mayor();
    await h.send(textUpdate("Gibt es Geld für einen Dorftreff?", { from: p }));
    const list = h.api.sent(p.id).at(-1)!;
    const data = buttonData(list, /^Verein$/);
    await h.send(textUpdate("Was ist die Ehrenamtskarte?", { from: p }));
    await h.send(callbackUpdate(data, { chatId: p.id, messageId: sentMessage(list).message_id, replyMarkup: list.body.reply_markup }, p));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("sehr viele Nachrichten");
    const edits = h.api.callsTo("editMessageReplyMarkup").filter((c) => c.body.message_id === sentMessage(list).message_id);
    // First removed (no double press), then given back.
    expect(edits.at(-1)!.body.reply_markup).toEqual(list.body.reply_markup);
  });
});
