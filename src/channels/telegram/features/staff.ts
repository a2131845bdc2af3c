import { Composer } from "grammy";
import type { Message } from "grammy/types";
import type { BotContext, TelegramDeps } from "../context.js";
import type { Store, TicketRecord } from "../../../store/store.js";
import { commandOf, repliesToBot } from "../addressing.js";
import { personName, targetOf } from "../conversation.js";
import { CB, staffKeyboard } from "../keyboards.js";
import { sendText } from "../reply.js";
import { isStaffConfirmation, T } from "../texts.js";
import { answerCallback, removeKeyboard } from "./callbacks.js";
import { STAFF_CHAT_NOTIFIER } from "../staff-chat.js";
import { rememberStaffMessage } from "../staff-notifier.js";

/** The ticket a staff reply refers to: by the stored post reference, else by "Vorgang Nr. X" in the bot's message. */
async function ticketForReply(store: Store, chatId: number, replied: Message): Promise<TicketRecord | undefined> {
  const byPost = await store.findTicketByStaffPost(`${chatId}:${replied.message_id}`);
  if (byPost) return byPost;
  // Reminders and notes also name the ticket; staff may reply to those too.
  const m = /Vorgang Nr\. (\d+)/.exec(replied.text ?? replied.caption ?? "");
  return m ? store.getTicket(Number(m[1])) : undefined;
}

/**
 * The staff side in Telegram: "Übernehmen"/"Erledigt" buttons (members of the staff chat only) and
 * answers written as replies to ticket posts. Nothing else in the staff chat is a mayor's question.
 */
export function staffFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const staff = deps.staff;
  const { store, handover } = deps.core;

  if (!staff) {
    // Buttons of an old post after the staff chat was switched off.
    c.callbackQuery(CB.staff, (ctx) => answerCallback(ctx, T.staff.notStaff, true));
    return c;
  }

  c.callbackQuery(CB.staff, async (ctx) => {
    const msg = ctx.callbackQuery.message;
    // In public groups non-members can press buttons too: always ask Telegram about membership.
    const allowed = staff.matches(msg?.chat) && (await staff.isMember(ctx.api, ctx.from.id));
    if (!allowed || !msg) {
      ctx.log.warn({ userId: ctx.from.id, chatId: msg?.chat.id }, "staff button refused");
      await answerCallback(ctx, T.staff.notStaff, true);
      return;
    }
    const id = Number(ctx.match[2]);
    const name = personName(ctx.from) ?? "Team";
    const target = targetOf(msg);
    const ticket = await store.getTicket(id);
    if (!ticket) {
      await answerCallback(ctx, T.staff.ticketGone(id), true);
      await removeKeyboard(ctx);
      return;
    }
    if (ctx.match[1] === "claim") {
      if (ticket.status !== "open") {
        await answerCallback(ctx, ticket.status === "closed" ? T.staff.alreadyClosed(id) : T.staff.alreadyClaimed(id, ticket.staffMember), true);
        return;
      }
      const t = await handover.claim(id, name);
      if (t?.status !== "claimed" || t.staffMember !== name) {
        await answerCallback(ctx, T.staff.alreadyClaimed(id, t?.staffMember), true);
        return;
      }
      await answerCallback(ctx, T.staff.claimed(id, name));
      try {
        await ctx.editMessageReplyMarkup({ reply_markup: staffKeyboard(id, true) });
      } catch (err) {
        ctx.log.debug({ err }, "staff post keyboard not updated");
      }
      await sendText(ctx.api, target, T.staff.claimed(id, name), { replyTo: msg.message_id });
      return;
    }
    if (ticket.status === "closed") {
      await answerCallback(ctx, T.staff.alreadyClosed(id));
      await removeKeyboard(ctx);
      return;
    }
    await handover.close(id, name);
    await answerCallback(ctx, T.staff.closed(id, name));
    await removeKeyboard(ctx);
    await sendText(ctx.api, target, T.staff.closed(id, name), { replyTo: msg.message_id });
  });

  const inStaffChat = c.filter((ctx) => staff.matches(ctx.chat));

  inStaffChat.command(["start", "hilfe", "help"], (ctx) => sendText(ctx.api, targetOf(ctx.msg), T.staff.help));

  inStaffChat.on("message", async (ctx) => {
    const msg = ctx.msg;
    // Colleagues talking among themselves, or commands: not for the bot.
    if (!msg.reply_to_message || !repliesToBot(msg, ctx.me) || commandOf(msg)) return;
    const target = targetOf(msg);
    // "ok danke" under "Vorgang Nr. 1 übernommen von …" went to the mayor as the team's answer (user test).
    if (isStaffConfirmation(msg.reply_to_message.text ?? "")) {
      await sendText(ctx.api, target, T.staff.replyToPost, { replyTo: msg.message_id });
      return;
    }
    const ticket = await ticketForReply(store, msg.chat.id, msg.reply_to_message);
    if (!ticket) {
      // A post cleared after the person deleted their data: "finde keinen Vorgang … direkt auf die Vorgangs-Nachricht"
      // was wrong advice – staff had replied to it (user test).
      const erased = /auf Wunsch der Person gelöscht/.test(msg.reply_to_message.text ?? "");
      await sendText(ctx.api, target, erased ? T.staff.erased : T.staff.notFound, { replyTo: msg.message_id });
      return;
    }
    if (ticket.status === "closed") {
      await sendText(ctx.api, target, T.staff.closedNoAnswer(ticket.id), { replyTo: msg.message_id });
      return;
    }
    const text = (msg.text ?? msg.caption ?? "").trim();
    if (!text) {
      await sendText(ctx.api, target, T.staff.textOnly, { replyTo: msg.message_id });
      return;
    }
    // Only members can write in a group, so the author is staff. Anonymous admins write as the chat.
    const name = msg.sender_chat ? "Team" : personName(ctx.from) ?? "Team";
    const result = await handover.answer(ticket.id, name, text, { via: STAFF_CHAT_NOTIFIER });
    const mayor = ticket.userName ?? "die Ortsbürgermeisterin oder den Ortsbürgermeister";
    ctx.log.info({ ticket: ticket.id, delivered: result.delivered }, "staff answer relayed");
    const sent = await sendText(ctx.api, target, result.delivered ? T.staff.delivered(ticket.id, mayor) : T.staff.notDelivered(ticket.id, result.error ?? "unbekannter Fehler"), {
      replyTo: msg.message_id,
    });
    for (const m of sent) await rememberStaffMessage(store, ticket.id, m).catch((err) => ctx.log.warn({ err }, "staff message not remembered"));
  });

  // Everything else in the staff chat (plain messages, other commands, member changes) is ignored.
  inStaffChat.use(() => undefined);

  return c;
}
