import type { Logger } from "pino";
import { MSG } from "../core/messages.js";
import { reachOf } from "../core/my-data.js";
import type { Store, TicketInput, TicketRecord } from "../store/store.js";
import type { ChannelName } from "../core/types.js";
import type { Delivery, Notice } from "../delivery/delivery.js";
import { currentRequestId } from "../request-context.js";
import { forgetTransientState } from "../core/transient-state.js";
import { terms } from "../retrieval/german-text.js";

/** Open Vorgänge one person can have at once; further messages are added to the newest one. */
// High enough that a mayor asking through an afternoon never meets it (a user test reached five in fifteen minutes,
// and every further question then sat unseen in an unrelated Vorgang); the per-person rate limit stops floods.
export const MAX_OPEN_TICKETS_PER_PERSON = 20;

const SHARED_WORD_MIN_LENGTH = 5;
/** Abbreviations ("VG", "OG") name no matter; "Dach" does. */
const MATTER_NOUN_MIN_LENGTH = 4;

/**
 * The words that say what a message is about: its nouns (German capitalises them), or, typed all in lower case,
 * its longer words.
 */
function matterWords(text: string): string[] {
  // A message of one word is its matter, however short ("GEMA?" after a Vorgang about the Dorferneuerung joined it as a
  // follow-up without a matter of its own; user test).
  const all = text.match(/[\p{L}\p{N}-]+/gu) ?? [];
  if (all.length === 1) return terms(all[0]).filter((x) => x.length >= MATTER_NOUN_MIN_LENGTH);
  const capitalised = text.match(/(?<!^|[.!?:]\s*)\p{Lu}[\p{L}-]+/gu) ?? [];
  const nouns = capitalised.flatMap((w) => terms(w)).filter((x) => x.length >= MATTER_NOUN_MIN_LENGTH);
  return capitalised.length ? nouns : terms(text).filter((x) => x.length >= SHARED_WORD_MIN_LENGTH);
}

/** How long an answer to a question staff asked still belongs to that Vorgang. */
const APPEND_WINDOW_MS = 72 * 3600_000;
/** A phone number (six digits or more, with spaces, slashes or dashes) or an e-mail address in a mayor's message. */
const REACH_IN_TEXT = /(?:\+?\d[\d ()/-]{5,}\d)|[\w.+-]+@[\w-]+\.[\w.]+/;
/** Words a message of contact details has at most besides the number ("Sie erreichen mich tagsüber unter …"). */
const CONTACT_MAX_WORDS = 6;

/**
 * "zu Nr. 12", "Vorgang 12", "Anfrage Nr. 12": the Vorgang a mayor names. A bare "Nr. 6" counts only at the start
 * (leadingTicketReference): inside a question it is a newsletter's number ("Was stand im Newsletter Nr. 6?").
 */
export function referencedTicket(text: string): number | undefined {
  const lead = leadingTicketReference(text);
  if (lead !== undefined) return lead;
  const m = /\b(?:(?:zu|zum|betrifft|wegen)\s+(?:(?:meine[rm]?|der|die|dem)\s+)?(?:vorgang|anfrage|nr\.?)|vorgang|vorgangsnummer|anfrage)\s*(?:nr\.?\s*)?(\d{1,9})\b/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * A message that starts by naming a Vorgang, as the bot asks mayors to write ("zu Nr. 12 …", "Nr 6 hat sich
 * erledigt", "Vorgang 12: …"). A number inside the text ("Was stand im Newsletter Nr. 6?") does not count.
 */
export function leadingTicketReference(text: string): number | undefined {
  const m = /^\s*(?:(?:zu|zum|betrifft|wegen|betr\.?)\s+)?(?:(?:meine[rm]?|der|die|dem)\s+)?(?:vorgang|anfrage|vorgangsnummer|nr\.?)\s*(?:nr\.?\s*)?(\d{1,9})\b/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Vorgänge: opening or adding to one, staff claim/answer/close, reminders and expiry. Sending is the delivery module's. */
export class HandoverService {
  constructor(
    private store: Store,
    private delivery: Delivery,
    private log: Logger,
    /** Whether a word tells what a matter is about (rare in the knowledge); without it every noun does. */
    private telling: (term: string) => boolean = () => true,
  ) {}

  private notify(notice: Notice): Promise<void> {
    return this.delivery.notifyStaff(notice);
  }

  /**
   * Deletes everything stored about a person in one channel ("/loeschen"), and has the staff posts of their
   * Vorgänge cleared: a post in the staff chat kept the name and the question after the data was gone, and a
   * reply to it found no Vorgang (user test). Returns how many entries were deleted.
   */
  async eraseUser(channel: ChannelName, userId: string): Promise<number> {
    const { tickets } = await this.store.exportUserData(channel, userId);
    const n = (await this.store.deleteUserData(channel, userId)) + (await forgetTransientState(this.store, channel, userId));
    for (const t of tickets) await this.notify({ kind: "erased", ticketId: t.id, ...(t.staffPostRef ? { staffPostRef: t.staffPostRef } : {}) });
    return n;
  }

  /**
   * Opens a ticket, or adds to this person's open one when it is the same matter: the message names the
   * Vorgang ("zu Nr. 12"), or it answers a question staff asked there. Never by topic alone, and never to
   * another person's ticket (in a group chat several people ask). `attached` says which, so the mayor sees it.
   */
  async open(input: TicketInput): Promise<{ ticket: TicketRecord; isNew: boolean; otherOpen?: number; capped?: boolean }> {
    const existing = await this.store.findOpenTicket(input.channel, input.conversationId, input.userId);
    // A Vorgang the mayor names counts when it is theirs and not closed, even if a newer one is open too – also
    // one staff already answered ("zu Nr. 1: Träger ist die VG" after a Rückfrage).
    const named = referencedTicket(input.question);
    let target = named !== undefined && named !== existing?.id ? await this.ownTicket(named, input, true) : existing;
    // The answer to a question staff asked: the team's message set the Vorgang to "beantwortet", and the mayor's
    // reply opened a new, context-free Vorgang (user test).
    if (!target || !this.sameMatter(target, input)) {
      // The newest Rückfrage, also when the team answered another Vorgang after it (user test: the reply to the
      // question in Nr. 1 opened Nr. 3, because Nr. 2 was answered later and was the only one looked at).
      const answered = (await this.store.findAnsweredTickets(input.channel, input.conversationId, input.userId)).find((t) => this.sameMatter(t, input));
      if (answered) target = answered;
    }
    // One person cannot fill the staff queue: beyond the cap, messages join their newest open Vorgang.
    const capped = Boolean(existing) && (await this.store.countOpenTickets(input.channel, input.userId)) >= MAX_OPEN_TICKETS_PER_PERSON;
    if (target && (capped || this.sameMatter(target, input))) {
      const joined = target;
      await this.store.addTicketMessage(joined.id, { from: "mayor", author: input.userName, text: input.question });
      // Answered before, it waits for staff again: back in the queue, not only a note on a done Vorgang.
      if (joined.status === "answered") await this.store.reopenTicket(joined.id);
      const t = (await this.store.getTicket(joined.id))!;
      await this.notify({ kind: "updated", ticketId: t.id, note: `Neue Nachricht der Ortsbürgermeisterin/des Ortsbürgermeisters: ${input.question}` });
      return { ticket: t, isNew: false, capped: capped && !this.sameMatter(target, input) };
    }
    const ticket = await this.store.createTicket({ ...input, requestId: input.requestId ?? currentRequestId() });
    this.log.info({ ticket: ticket.id, reason: ticket.reason, channel: ticket.channel }, "ticket opened");
    await this.notify({ kind: "new", ticketId: ticket.id });
    return { ticket, isNew: true, otherOpen: existing && this.mayBelong(existing, input) ? existing.id : undefined };
  }

  /**
   * Whether a new message could be part of the open Vorgang, so the mayor is told how to add it there: it shares
   * a word with it, has no matter of its own, or both ask for a person. A message about something else gets no
   * such hint (a user test read "Ihre Anfrage Nr. 2 bleibt daneben offen …" under a new topic as a mix-up).
   */
  private mayBelong(open: TicketRecord, input: TicketInput): boolean {
    // What a matter is about are its nouns ("Dach", "Bürgerbus"): a shared verb ("fördert") or a common word
    // ("Geld", "VG", dialect's "et") joins unrelated matters. Without such a word ("Und bis wann?") the message
    // has no matter of its own and may well belong to the open one.
    const nouns = matterWords(input.question);
    if (!nouns.length) return true;
    if (open.reason === "person_requested" && input.reason === "person_requested") return true;
    // Only common nouns ("Was ist LEADER, und kann unser Dorf mitmachen?" after a question about the
    // Aufwandsentschädigung): the message has a matter of its own all the same; it belongs only when it shares one
    // of them (user test: the hint stood under a new topic whose nouns were all common in the knowledge).
    const telling = nouns.filter(this.telling);
    const mine = new Set(telling.length ? telling : nouns);
    return [open.question, ...open.messages.filter((m) => m.from === "mayor").map((m) => m.text)].some((t) => matterWords(t).some((x) => mine.has(x)));
  }

  /**
   * Whether the team has a way to call or write this person besides the chat: a number or address they gave in the
   * contact form or wrote in a Vorgang. A wish for a call without one reached staff with no number (user test).
   */
  async reachKnown(channel: TicketInput["channel"], userId: string): Promise<boolean> {
    const tickets = await this.store.personTickets(channel, userId);
    return tickets.some((t) => reachOf(t) !== undefined || t.messages.some((m) => m.from === "mayor" && REACH_IN_TEXT.test(m.text)));
  }

  /** The Vorgang a message names ("zu Nr. 5 …", "gehört zu Vorgang 5"), when it is this person's own and not closed (else undefined). */
  async namedOpenTicket(text: string, who: Pick<TicketInput, "channel" | "conversationId" | "userId">): Promise<TicketRecord | undefined> {
    const id = referencedTicket(text);
    return id === undefined ? undefined : this.ownTicket(id, who, true);
  }

  /** This person's Vorgang with this number, while it is open (or, with `answered`, answered and not closed). */
  private async ownTicket(id: number, input: Pick<TicketInput, "channel" | "conversationId" | "userId">, answered: boolean): Promise<TicketRecord | undefined> {
    const t = await this.store.getTicket(id);
    const own = t && t.channel === input.channel && t.conversationId === input.conversationId && t.userId === input.userId;
    return own && (t.status === "open" || t.status === "claimed" || (answered && t.status === "answered")) ? t : undefined;
  }

  /** The message names this Vorgang, asks its question again, or answers a question staff asked in it (recently). */
  private sameMatter(t: TicketRecord, input: TicketInput): boolean {
    if (referencedTicket(input.question) === t.id) return true;
    // The same question again (👎 after a hand-over, then "An das Team", or /mensch): one Vorgang, not two.
    if (t.question === input.question) return true;
    // A follow-up without a matter of its own ("und bis wann?") right after the Vorgang's own message: it asks on about
    // it. Before, it opened a second Vorgang and the mayor was asked to send it again with "zu Nr. 5" (user test).
    const before = [...input.context].reverse().find((c) => c.role === "mayor")?.text.trim();
    const ownLast = [...t.messages].reverse().find((m) => m.from === "mayor")?.text.trim();
    // A follow-up that names a matter of its own but was read with that message ("und auf dem heimweg?" after "Sind die
    // Helfer unfallversichert?") asks on about the same Vorgang too: a second Vorgang with its own number and form
    // looked to the mayor like two separate requests (user test).
    // A number or an address with a few words at most ("Meine Nummer ist 0651 123456", after the bot asked for one) is
    // contact details for it, no matter of its own.
    const contactOnly = REACH_IN_TEXT.test(input.question) && (input.question.match(/\p{L}+/gu) ?? []).length <= CONTACT_MAX_WORDS;
    if ((t.status === "open" || t.status === "claimed") && before && before === ownLast && (input.followsUp || contactOnly || !matterWords(input.question).length)) return true;
    const last = t.messages[t.messages.length - 1];
    return Boolean(last && last.from === "staff" && /\?\s*$/.test(last.text) && Date.now() - Date.parse(last.at) <= APPEND_WINDOW_MS);
  }

  async claim(id: number, staff: string): Promise<TicketRecord | undefined> {
    const t = await this.store.claimTicket(id, staff);
    if (t) this.log.info({ ticket: id }, "ticket claimed");
    return t;
  }

  /**
   * Closes a Vorgang. One closed without an answer written here ("telefonisch geklärt") is announced to the
   * mayor in the chat they asked from, so nobody waits for an answer that will not come; a failed send is logged
   * and noted on the Vorgang, the close stands.
   */
  async close(id: number, staff: string): Promise<TicketRecord | undefined> {
    const before = await this.store.getTicket(id);
    const t = await this.store.closeTicket(id, staff);
    if (!t) return t;
    this.log.info({ ticket: id }, "ticket closed");
    if (before && before.status !== "answered" && before.status !== "closed") await this.tellClosed(t);
    return t;
  }

  private async tellClosed(t: TicketRecord): Promise<void> {
    const conv = await this.store.getConversation(t.channel, t.conversationId);
    const sender = this.delivery.sender(t.channel);
    if (!conv || !sender) return;
    try {
      await sender.send(conv, { kind: "notice", ticketId: t.id, text: MSG.closedWithoutAnswer(t.id, t.question, conv.isGroup ? t.userName : undefined) });
    } catch (err) {
      this.log.warn({ err, ticket: t.id, channel: t.channel }, "closing notice not delivered");
      await this.store.addTicketMessage(t.id, { from: "system", text: `Hinweis an die Ortsbürgermeisterin/den Ortsbürgermeister nicht zugestellt: ${(err as Error).message}` });
    }
  }

  /**
   * Sends a staff answer to the mayor in the chat they asked from. The ticket is marked answered only
   * after the channel accepted the message; otherwise it stays open and staff see the error.
   */
  async answer(id: number, staff: string, text: string, opts: { via?: string } = {}): Promise<{ ticket?: TicketRecord; delivered: boolean; error?: string }> {
    const ticket = await this.store.getTicket(id);
    if (!ticket) return { delivered: false, error: "Vorgang nicht gefunden" };
    const body = text.trim();
    if (!body) return { ticket, delivered: false, error: "Die Antwort ist leer" };
    const conv = await this.store.getConversation(ticket.channel, ticket.conversationId);
    const sender = this.delivery.sender(ticket.channel);
    if (!conv || !sender) {
      const error = `Kanal ${ticket.channel} ist nicht verbunden`;
      await this.store.addTicketMessage(id, { from: "system", text: `Zustellung fehlgeschlagen: ${error}` });
      return { ticket, delivered: false, error };
    }
    try {
      await sender.send(conv, { kind: "staff_answer", ticketId: id, text: MSG.staffAnswer(id, ticket.question, body, conv.isGroup ? ticket.userName : undefined) });
    } catch (err) {
      this.log.warn({ err, ticket: id, channel: ticket.channel }, "staff answer not delivered");
      const error = (err as Error).message;
      await this.store.addTicketMessage(id, { from: "system", text: `Zustellung fehlgeschlagen: ${error}` });
      return { ticket: await this.store.getTicket(id), delivered: false, error };
    }
    const updated = await this.store.answerTicket(id, staff, body);
    this.log.info({ ticket: id, channel: ticket.channel }, "staff answer delivered");
    // The staff place the answer was written in confirms it there already (`via`): no second note.
    if (updated) await this.notify({ kind: "updated", ticketId: id, note: `Beantwortet von ${staff}.`, skip: opts.via });
    return { ticket: updated, delivered: true };
  }

  /** Re-posts tickets that waited too long; each ticket at most once per interval. */
  async remindOverdue(remindHours: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - remindHours * 3600_000).toISOString();
    const due = await this.store.ticketsToRemind(cutoff, cutoff);
    for (const t of due) {
      await this.notify({ kind: "reminder", ticketId: t.id });
      await this.store.markReminded(t.id, now.toISOString());
    }
    return due.length;
  }

  /**
   * Retention for tickets nobody closed: after `retentionDays` without change they are closed and
   * emptied of personal data. Their staff-chat posts are cleared the same way (they showed name and question
   * long after the store forgot them), which tells staff once that there is nothing left to answer.
   */
  async expireStale(retentionDays: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
    const expired = await this.store.expireStaleTickets(cutoff);
    for (const t of expired) await this.notify({ kind: "erased", cause: "expired", ticketId: t.id, ...(t.staffPostRef ? { staffPostRef: t.staffPostRef } : {}) });
    if (expired.length) this.log.info({ tickets: expired.map((t) => t.id) }, "stale tickets closed and anonymised");
    return expired.length;
  }

  /**
   * The daily retention run: everything older than `retentionDays` that is not an open Vorgang is deleted. A closed
   * Vorgang's posts in the staff chats are cleared first; otherwise the Telegram group and the Teams channel kept
   * name and question after the store had deleted them. Returns the rows removed.
   */
  async purgeExpired(retentionDays: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
    for (const t of await this.store.closedTicketsBefore(cutoff)) {
      await this.notify({ kind: "erased", cause: "retention", ticketId: t.id, ...(t.staffPostRef ? { staffPostRef: t.staffPostRef } : {}) });
    }
    return this.store.purgeOlderThan(cutoff);
  }
}
