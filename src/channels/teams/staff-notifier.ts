import type { ConversationReference } from "botbuilder";
import type { Logger } from "pino";
import type { ErasureCause, StaffNotifier } from "../../core/ports.js";
import type { Store, TicketRecord } from "../../store/store.js";
import { erasedTicketNote } from "../../core/labels.js";
import { cardMessage, ticketCard, userText } from "./cards.js";
import { parseReference, type TeamsProactive } from "./sender.js";
import { textMessage } from "./text.js";

/**
 * Store keys: the registered staff conversation, its address, and where each ticket's card was posted. The
 * address is kept here, not only with the chats: the retention run deletes chat addresses nobody used for the
 * retention period, and a quiet staff channel would have stopped getting Vorgänge.
 */
export const STAFF_CONVERSATION_KEY = "teams:staffConversation";
export const STAFF_REFERENCE_KEY = "teams:staffReference";
const cardKey = (ticketId: number) => `teams:ticketCard:${ticketId}`;

interface CardRef {
  conversationId: string;
  activityId: string;
}

/** Posts tickets into the Teams staff channel registered with "staff registrieren". */
export class TeamsStaffNotifier implements StaffNotifier {
  readonly name = "teams";

  constructor(
    private store: Store,
    private proactive: TeamsProactive,
    private log: Logger,
  ) {}

  /** The staff conversation's reference, or undefined when none is registered (then nothing is posted). */
  async staffReference(): Promise<Partial<ConversationReference> | undefined> {
    const id = await this.store.getState(STAFF_CONVERSATION_KEY);
    if (!id) return undefined;
    const kept = parseReference(parseJson(await this.store.getState(STAFF_REFERENCE_KEY)));
    if (kept && kept.conversation?.id === id) return kept;
    // Registered before the address was kept with the key: take it from the chat once, while it is there.
    const conv = await this.store.getConversation("teams", id);
    const ref = parseReference(conv?.reference);
    if (!ref) this.log.warn("teams staff conversation registered but its reference is missing or invalid");
    else await this.store.setState(STAFF_REFERENCE_KEY, JSON.stringify(conv!.reference));
    return ref;
  }

  async newTicket(ticket: TicketRecord): Promise<void> {
    await this.postCard(ticket, "Neuer Vorgang");
  }

  async reminder(ticket: TicketRecord): Promise<void> {
    await this.postCard(ticket, "Erinnerung: offener Vorgang");
  }

  async ticketUpdated(ticket: TicketRecord, note: string): Promise<void> {
    const ref = await this.staffReference();
    if (!ref) return;
    const card = await this.cardRef(ticket.id);
    if (card && card.conversationId === ref.conversation?.id) {
      await this.proactive.run(ref, async (ctx) => {
        await ctx.updateActivity({ ...cardMessage(ticketCard(ticket), `Vorgang Nr. ${ticket.id}`), id: card.activityId });
      });
    }
    // Staff must see what the mayor added; their own answers and closings show on the card.
    if (ticket.status === "open" || ticket.status === "claimed") {
      const threadRef = this.threadOf(ref, card);
      await this.proactive.send(threadRef, textMessage(`Vorgang Nr. ${ticket.id}: ${note}`));
    }
  }

  /**
   * The card is replaced by the note (no name, no question, no buttons) and its reference forgotten. After
   * retention nothing is posted when there is no card to replace.
   */
  async ticketErased(ticketId: number, _staffPostRef?: string, cause: ErasureCause = "request"): Promise<void> {
    const ref = await this.staffReference();
    const card = await this.cardRef(ticketId);
    if (ref) {
      const note = textMessage(erasedTicketNote(ticketId, cause));
      if (card && card.conversationId === ref.conversation?.id) {
        await this.proactive.run(ref, async (ctx) => {
          await ctx.updateActivity({ ...note, id: card.activityId });
        });
      } else if (cause === "request") {
        await this.proactive.send(ref, note);
      }
    }
    await this.store.deleteState(cardKey(ticketId));
  }

  private async postCard(ticket: TicketRecord, heading: string): Promise<void> {
    const ref = await this.staffReference();
    if (!ref?.conversation) return;
    const id = await this.proactive.send(ref, cardMessage(ticketCard(ticket, heading), `${heading} Nr. ${ticket.id}: ${userText(ticket.question)}`));
    if (id) {
      const value: CardRef = { conversationId: ref.conversation.id, activityId: id };
      await this.store.setState(cardKey(ticket.id), JSON.stringify(value));
    }
    this.log.info({ ticket: ticket.id }, "ticket posted to teams staff channel");
  }

  private async cardRef(ticketId: number): Promise<CardRef | undefined> {
    const raw = await this.store.getState(cardKey(ticketId));
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as CardRef;
      return typeof v.activityId === "string" && typeof v.conversationId === "string" ? v : undefined;
    } catch (err) {
      this.log.warn({ err, ticket: ticketId }, "unreadable teams card reference");
      return undefined;
    }
  }

  /** In a team channel a note goes into the ticket card's thread; group chats have no threads. */
  private threadOf(ref: Partial<ConversationReference>, card: CardRef | undefined): Partial<ConversationReference> {
    if (!card || !ref.conversation || ref.conversation.conversationType !== "channel") return ref;
    return { ...ref, conversation: { ...ref.conversation, id: `${ref.conversation.id};messageid=${card.activityId}` } };
  }
}

function parseJson(raw: string | undefined): unknown {
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}
