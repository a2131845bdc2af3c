import { GrammyError, type Api } from "grammy";
import type { Logger } from "pino";
import { RecipientGoneError, type OutgoingMessage, type Sender } from "../../core/ports.js";
import type { ConversationRecord } from "../../store/store.js";
import { parseReference, type TelegramReference } from "./conversation.js";
import { sendHtml } from "./reply.js";
import { withoutPayload } from "./errors.js";
import { escapeHtml, plainToHtml } from "./render.js";

/** Staff answers and digests start with a heading line ("Antwort des Teams …", "Wochenüberblick …"): bold. */
export function renderOutgoing(message: OutgoingMessage): string {
  if (message.kind === "notice") return plainToHtml(message.text);
  const [first, ...rest] = message.text.split("\n");
  return `<b>${escapeHtml(first)}</b>${rest.length ? `\n${plainToHtml(rest.join("\n"))}` : ""}`;
}

/** Telegram's descriptions for chats that are gone for good (blocked, kicked, deleted, deactivated). */
const GONE = /bot was blocked|bot was kicked|chat not found|user is deactivated|bot is not a member|group chat was deleted|group chat was deactivated|have no rights to send|CHAT_WRITE_FORBIDDEN|PEER_ID_INVALID|bot can't initiate conversation/i;

export function isRecipientGone(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 403 || (err.error_code === 400 && GONE.test(err.description)));
}

/**
 * Sends staff answers and digests into a stored Telegram conversation (chat, and forum topic if any).
 * A chat that blocked or removed the bot raises RecipientGoneError, so digests unsubscribe it; a group
 * that became a supergroup, or a deleted topic, is followed once; everything else is rethrown.
 */
export class TelegramSender implements Sender {
  readonly channel = "telegram" as const;

  constructor(private api: Api, private log: Logger) {}

  async send(conversation: ConversationRecord, message: OutgoingMessage): Promise<void> {
    const ref = parseReference(conversation.reference, conversation.conversationId);
    if (!ref) throw new RecipientGoneError(`Keine Telegram-Chat-Adresse für ${conversation.conversationId}`);
    try {
      await this.sendTo(ref, message);
    } catch (err) {
      // Rethrown without the request payload: callers log it and store its message on the ticket.
      if (isRecipientGone(err)) throw new RecipientGoneError(`Telegram-Chat nicht erreichbar: ${(err as GrammyError).description}`, { cause: withoutPayload(err) });
      throw withoutPayload(err);
    }
  }

  private async sendTo(ref: TelegramReference, message: OutgoingMessage): Promise<void> {
    try {
      await sendHtml(this.api, ref, renderOutgoing(message));
    } catch (err) {
      if (!(err instanceof GrammyError)) throw err;
      const migrated = err.parameters.migrate_to_chat_id;
      if (migrated) {
        this.log.info({ from: ref.chatId, to: migrated }, "chat migrated to supergroup; sending there");
        await sendHtml(this.api, { chatId: migrated, threadId: ref.threadId }, renderOutgoing(message));
        return;
      }
      if (ref.threadId && /thread not found|TOPIC_DELETED|TOPIC_CLOSED/i.test(err.description)) {
        this.log.info({ chatId: ref.chatId, kind: message.kind }, "forum topic gone; sending to the group's main thread");
        await sendHtml(this.api, { chatId: ref.chatId }, renderOutgoing(message));
        return;
      }
      throw err;
    }
  }
}
