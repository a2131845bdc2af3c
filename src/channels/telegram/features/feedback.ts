import { Composer } from "grammy";
import type { BotContext, TelegramDeps } from "../context.js";
import { incomingOf, rememberConversation, targetOf } from "../conversation.js";
import { CB } from "../keyboards.js";
import { deliverReply, sendText } from "../reply.js";
import { T } from "../texts.js";
import { sanitizeText } from "../../../core/sanitize.js";
import { NOT_OWN_BUTTON } from "../../../core/assistant.js";
import { answerCallback, removeKeyboard } from "./callbacks.js";

/** 👍 / 👎 / "An das Team weitergeben" under an answer, and /mensch [Anliegen]. */
export function feedbackFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { store, assistant } = deps.core;

  c.command("mensch", async (ctx) => {
    const target = targetOf(ctx.msg);
    const refusal = await assistant.accessRefusal(incomingOf(target, ctx.from, "/mensch", ctx.update.update_id));
    if (refusal) {
      await deliverReply(deps, ctx.api, ctx.log, target, refusal, { replyTo: target.isGroup ? ctx.msg.message_id : undefined });
      return;
    }
    await rememberConversation(store, target, ctx.msg.chat);
    const text = sanitizeText(ctx.match).stored;
    const inc = incomingOf(target, ctx.from, text, ctx.update.update_id);
    // With words after /mensch those are the Vorgang; without, the person's last question.
    const reply = await assistant.requestHuman(inc);
    await deliverReply(deps, ctx.api, ctx.log, target, reply, { replyTo: target.isGroup ? ctx.msg.message_id : undefined });
  });

  c.callbackQuery([CB.feedback, CB.handover], async (ctx) => {
    const msg = ctx.callbackQuery.message;
    if (!msg) return answerCallback(ctx); // message too old to be accessible: nothing to edit or answer in
    const target = targetOf(msg);
    // Hand-over answers are sent into this chat later: the reference must be stored.
    await rememberConversation(store, target, msg.chat);
    const inc = incomingOf(target, ctx.from, "", ctx.update.update_id);
    const fb = CB.feedback.exec(ctx.callbackQuery.data);
    const turnId = Number(fb ? fb[1] : CB.handover.exec(ctx.callbackQuery.data)![1]);
    const reply = fb ? await assistant.feedback(inc, turnId, fb[2] === "1" ? 1 : -1) : await assistant.requestHuman(inc, turnId);
    // A colleague's press in a group: told so in a pop-up, the buttons stay for the person who asked.
    if (reply?.reasons.includes(NOT_OWN_BUTTON)) return answerCallback(ctx, reply.text, true);
    await answerCallback(ctx);
    // Keyboard away: a second press finds no button.
    await removeKeyboard(ctx);
    if (!reply) {
      await sendText(ctx.api, target, T.turnNotFound);
      return;
    }
    ctx.log.info({ turnId, kind: fb ? `feedback:${fb[2]}` : "handover", ticket: reply.ticket?.id }, "button pressed");
    await deliverReply(deps, ctx.api, ctx.log, target, reply);
  });

  return c;
}
