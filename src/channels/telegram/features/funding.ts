import { Composer } from "grammy";
import type { BotContext, TelegramDeps } from "../context.js";
import { targetOf } from "../conversation.js";
import { CB } from "../keyboards.js";
import { escapeHtml } from "../render.js";
import { T } from "../texts.js";
import { MSG } from "../../../core/messages.js";
import { RATE_LIMITED } from "../../../core/assistant.js";
import { answerQuestion } from "./ask.js";
import { answerCallback, removeKeyboard } from "./callbacks.js";

/**
 * Förder-Finder in Telegram: /fristen, and the buttons under a list ("Ortsgemeinde", "Verein", …) —
 * a press sends the choice's text to the core like a typed message, so the core decides alone.
 */
export function fundingFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("fristen", async (ctx) => {
    const target = targetOf(ctx.msg);
    await answerQuestion(ctx, deps, target, "/fristen", { from: ctx.from, replyTo: target.isGroup ? ctx.msg.message_id : undefined });
  });
  c.callbackQuery(CB.choice, async (ctx) => {
    const msg = ctx.callbackQuery.message;
    if (!msg) return answerCallback(ctx);
    // In a group the list answers one person's question (sent as a reply to it): only they narrow it down.
    const asker = "reply_to_message" in msg ? msg.reply_to_message?.from?.id : undefined;
    if (targetOf(msg).isGroup && asker !== undefined && asker !== ctx.from.id) return answerCallback(ctx, MSG.notYourButton, true);
    await answerCallback(ctx);
    // The label the person pressed, as shown on the button.
    const pressed = msg.reply_markup?.inline_keyboard.flat().find((b) => "callback_data" in b && b.callback_data === ctx.match[1]);
    await removeKeyboard(ctx);
    const reply = await answerQuestion(ctx, deps, targetOf(msg), ctx.match[1], {
      from: ctx.from,
      prefixHtml: pressed ? `<b>${escapeHtml(T.chosen(pressed.text))}</b>` : undefined,
    });
    // Not answered for now: the buttons come back, so the person can press again in a minute.
    if (reply.reasons.includes(RATE_LIMITED) && msg.reply_markup) {
      await ctx.editMessageReplyMarkup({ reply_markup: msg.reply_markup }).catch((err) => ctx.log.debug({ err }, "keyboard not restored"));
    }
  });
  return c;
}
