import type { BotContext } from "../context.js";

/**
 * Answers the button press at once (the client shows a spinner until then). Telegram rejects answers
 * to presses older than ~15 minutes or after a restart; that must not stop the work behind the button.
 */
export async function answerCallback(ctx: BotContext, text?: string, showAlert = false): Promise<void> {
  try {
    await ctx.answerCallbackQuery(text ? { text, show_alert: showAlert } : undefined);
  } catch (err) {
    ctx.log.warn({ err }, "answerCallbackQuery failed");
  }
}

/** Removes the inline keyboard of the pressed message, so a button cannot be pressed twice. */
export async function removeKeyboard(ctx: BotContext): Promise<void> {
  try {
    await ctx.editMessageReplyMarkup();
  } catch (err) {
    // "message is not modified" when a second press raced the first: nothing to do.
    ctx.log.debug({ err }, "editMessageReplyMarkup failed");
  }
}
