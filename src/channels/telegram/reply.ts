import type { Api, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import type { Logger } from "pino";
import type { Incoming, Reply } from "../../core/types.js";
import type { TelegramDeps } from "./context.js";
import type { ChatTarget } from "./conversation.js";
import { feedbackKeyboard } from "./keyboards.js";
import { escapeHtml, plainToHtml, renderReply, splitHtml, TELEGRAM_MAX_CHARS } from "./render.js";
import { T } from "./texts.js";

export interface SendOptions {
  /** Message to reply to (groups: so everyone sees which question is answered). Only the first part. */
  replyTo?: number;
  /** Inline keyboard; attached to the last part. */
  keyboard?: InlineKeyboard;
}

/** Room for the line that marks a continued message ("Fortsetzung (Teil 2 von 3)"). */
const CONTINUED_ROOM = 64;

/**
 * Sends Telegram HTML, split under 4096 characters, into the target chat/topic. A second part says it continues
 * the first: it began with a bare sentence, and a team answer's later parts looked like a message of their own.
 */
export async function sendHtml(api: Api, target: Pick<ChatTarget, "chatId" | "threadId">, html: string, opts: SendOptions = {}): Promise<Message.TextMessage[]> {
  const whole = splitHtml(html);
  const split = whole.length > 1 ? splitHtml(html, TELEGRAM_MAX_CHARS - CONTINUED_ROOM) : whole;
  const parts = split.map((p, i) => (i === 0 ? p : `<i>${escapeHtml(T.continued(i + 1, split.length))}</i>\n\n${p}`));
  const sent: Message.TextMessage[] = [];
  for (const [i, part] of parts.entries()) {
    sent.push(
      await api.sendMessage(target.chatId, part, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(target.threadId ? { message_thread_id: target.threadId } : {}),
        ...(i === 0 && opts.replyTo ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } } : {}),
        ...(i === parts.length - 1 && opts.keyboard ? { reply_markup: opts.keyboard } : {}),
      }),
    );
  }
  return sent;
}

/** Sends plain German text (escaped) into the target. */
export function sendText(api: Api, target: Pick<ChatTarget, "chatId" | "threadId">, text: string, opts: SendOptions = {}): Promise<Message.TextMessage[]> {
  return sendHtml(api, target, plainToHtml(text), opts);
}

export interface DeliverOptions {
  /** The question this reply answers; kept as a ticket if the answer cannot be delivered. */
  inc?: Incoming;
  /** HTML shown above the answer (e.g. the voice transcript). */
  prefixHtml?: string;
  replyTo?: number;
}

/**
 * Renders and sends a core Reply with its feedback keyboard. If Telegram does not take the answer
 * (after auto-retry), the question is not lost: it is handed over as "delivery_failed" and logged.
 */
export async function deliverReply(deps: TelegramDeps, api: Api, log: Logger, target: ChatTarget, reply: Reply, opts: DeliverOptions = {}): Promise<boolean> {
  const body = renderReply(reply);
  const html = opts.prefixHtml ? `${opts.prefixHtml}\n\n${body}` : body;
  const keyboard = feedbackKeyboard(reply.offerFeedback ? reply.turnId : undefined, reply.choices);
  try {
    await sendHtml(api, target, html, { replyTo: opts.replyTo, keyboard });
    return true;
  } catch (err) {
    log.error({ err, turnId: reply.turnId, action: reply.action, ticket: reply.ticket?.id }, "reply could not be delivered");
    if (opts.inc) await deps.core.assistant.keepUndelivered(opts.inc, reply);
    return false;
  }
}
