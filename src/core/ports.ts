import type { ChannelName } from "./types.js";
import type { ConversationRecord, TicketRecord } from "../store/store.js";

export interface OutgoingMessage {
  kind: "staff_answer" | "digest" | "notice";
  text: string;
  ticketId?: number;
}

/** Sends into a stored conversation later (staff answers, digests); each channel implements it once. */
export interface Sender {
  readonly channel: ChannelName;
  send(conversation: ConversationRecord, message: OutgoingMessage): Promise<void>;
}

/** Where staff learn about tickets (Telegram staff group, Teams staff channel). */
export interface StaffNotifier {
  readonly name: string;
  newTicket(ticket: TicketRecord): Promise<void>;
  ticketUpdated(ticket: TicketRecord, note: string): Promise<void>;
  reminder(ticket: TicketRecord): Promise<void>;
  /**
   * The Vorgang's personal data is gone from the store: the person deleted it ("/loeschen"), or the retention run
   * did. Its posts in the staff chat must no longer show name and question, and staff learn there is nothing left
   * to do (`staffPostRef` as it was stored). After retention nothing new is posted where nothing is left to clear.
   */
  ticketErased(ticketId: number, staffPostRef?: string, cause?: ErasureCause): Promise<void>;
}

/**
 * Why a Vorgang's data was erased: the person asked, the retention period ended after it was closed, or it stayed
 * open without change for the whole retention period.
 */
export type ErasureCause = "request" | "retention" | "expired";

/** A send that failed because the chat is gone for good (blocked the bot, deleted): stop sending there. */
export class RecipientGoneError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RecipientGoneError";
  }
}
