import type { Logger } from "pino";
import { randomBytes } from "node:crypto";
import type { ChannelName } from "../core/types.js";
import { MSG } from "../core/messages.js";
import type { Sender, StaffNotifier } from "../core/ports.js";
import type { Store, TicketInput, TicketRecord } from "../store/store.js";

/** Open Vorgänge one person can have at once; further messages are added to the newest one. */
export const MAX_OPEN_TICKETS_PER_PERSON = 5;

/** How long an answer to a question staff asked still belongs to that Vorgang. */
const APPEND_WINDOW_MS = 72 * 3600_000;

/** "zu Nr. 12", "Vorgang 12", "Anfrage Nr. 12": the Vorgang a mayor names. */
export function referencedTicket(text: string): number | undefined {
  const m = /\b(?:vorgang|anfrage|vorgangsnummer|nr\.?)\s*(?:nr\.?\s*)?(\d{1,9})\b/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

const NOTICE_PREFIX = "staff-notice:";
/** A notice claimed by an instance that then died is sent by another after this long. */
const NOTICE_CLAIM_MS = 60_000;

interface Notice {
  kind: "new" | "updated" | "reminder";
  ticketId: number;
  note?: string;
  /** Name of a notifier that must not get this notice (the answer was written there). */
  skip?: string;
  claimedAt?: number;
}

function parseNotice(raw: string | undefined): Notice | undefined {
  if (!raw) return undefined;
  try {
    const n = JSON.parse(raw) as Notice;
    return typeof n?.ticketId === "number" ? n : undefined;
  } catch {
    return undefined;
  }
}

export class HandoverService {
  private senders = new Map<ChannelName, Sender>();
  private notifiers: StaffNotifier[] = [];
  private sending?: Promise<void>;
  private again = false;

  constructor(private store: Store, private log: Logger) {}

  registerSender(s: Sender): void {
    this.senders.set(s.channel, s);
  }

  /** The sender for a channel (digests use the same senders as staff answers). */
  sender(channel: ChannelName): Sender | undefined {
    return this.senders.get(channel);
  }

  registerNotifier(n: StaffNotifier): void {
    this.notifiers.push(n);
  }

  /**
   * Opens a ticket, or adds to this person's open one when it is the same matter: the message names the
   * Vorgang ("zu Nr. 12"), or it answers a question staff asked there. Never by topic alone, and never to
   * another person's ticket (in a group chat several people ask). `attached` says which, so the mayor sees it.
   */
  async open(input: TicketInput): Promise<{ ticket: TicketRecord; isNew: boolean; otherOpen?: number }> {
    const existing = await this.store.findOpenTicket(input.channel, input.conversationId, input.userId);
    // A Vorgang the mayor names counts when it is theirs and still open, even if a newer one is open too.
    const named = referencedTicket(input.question);
    const target = named !== undefined && named !== existing?.id ? await this.ownOpenTicket(named, input) : existing;
    // One person cannot fill the staff queue: beyond the cap, messages join their newest open Vorgang.
    const capped = Boolean(existing) && (await this.store.countOpenTickets(input.channel, input.userId)) >= MAX_OPEN_TICKETS_PER_PERSON;
    if (target && (capped || this.sameMatter(target, input))) {
      const existing = target;
      await this.store.addTicketMessage(existing.id, { from: "mayor", author: input.userName, text: input.question });
      const t = (await this.store.getTicket(existing.id))!;
      await this.notify({ kind: "updated", ticketId: t.id, note: `Neue Nachricht der Ortsbürgermeisterin/des Ortsbürgermeisters: ${input.question}` });
      return { ticket: t, isNew: false };
    }
    const ticket = await this.store.createTicket(input);
    this.log.info({ ticket: ticket.id, reason: ticket.reason, channel: ticket.channel }, "ticket opened");
    await this.notify({ kind: "new", ticketId: ticket.id });
    return { ticket, isNew: true, otherOpen: existing?.id };
  }

  private async ownOpenTicket(id: number, input: TicketInput): Promise<TicketRecord | undefined> {
    const t = await this.store.getTicket(id);
    const own = t && t.channel === input.channel && t.conversationId === input.conversationId && t.userId === input.userId;
    return own && (t.status === "open" || t.status === "claimed") ? t : undefined;
  }

  /** The message names this Vorgang, or answers a question staff asked in it (recently). */
  private sameMatter(t: TicketRecord, input: TicketInput): boolean {
    if (referencedTicket(input.question) === t.id) return true;
    const last = t.messages[t.messages.length - 1];
    return Boolean(last && last.from === "staff" && /\?\s*$/.test(last.text) && Date.now() - Date.parse(last.at) <= APPEND_WINDOW_MS);
  }

  async claim(id: number, staff: string): Promise<TicketRecord | undefined> {
    const t = await this.store.claimTicket(id, staff);
    if (t) this.log.info({ ticket: id }, "ticket claimed");
    return t;
  }

  async close(id: number, staff: string): Promise<TicketRecord | undefined> {
    const t = await this.store.closeTicket(id, staff);
    if (t) this.log.info({ ticket: id }, "ticket closed");
    return t;
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
    const sender = this.senders.get(ticket.channel);
    if (!conv || !sender) {
      const error = `Kanal ${ticket.channel} ist nicht verbunden`;
      await this.store.addTicketMessage(id, { from: "system", text: `Zustellung fehlgeschlagen: ${error}` });
      return { ticket, delivered: false, error };
    }
    try {
      await sender.send(conv, { kind: "staff_answer", ticketId: id, text: MSG.staffAnswer(id, body) });
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
   * emptied of personal data; staff get one note per ticket (the ticket is closed, so never again).
   */
  async expireStale(retentionDays: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
    const expired = await this.store.expireStaleTickets(cutoff);
    for (const t of expired) {
      await this.notify({ kind: "updated", ticketId: t.id, note: MSG.ticketExpired(retentionDays) });
    }
    if (expired.length) this.log.info({ tickets: expired.map((t) => t.id) }, "stale tickets closed and anonymised");
    return expired.length;
  }

  /**
   * Staff notices go through a durable queue in the store and are sent after the caller returns: the
   * mayor's reply never waits for a (throttled) staff chat, and a notice queued before a crash is sent
   * after the restart. At least once: a crash mid-send may repeat one notice, never lose it.
   */
  private async notify(notice: Notice): Promise<void> {
    const key = `${NOTICE_PREFIX}${String(Date.now()).padStart(15, "0")}-${randomBytes(4).toString("hex")}`;
    try {
      await this.store.setState(key, JSON.stringify(notice));
    } catch (err) {
      // The store failed: still try to tell staff now, rather than not at all.
      this.log.error({ err, ticket: notice.ticketId }, "staff notice not queued; sending directly");
      void this.send(notice);
      return;
    }
    this.sendQueued();
  }

  /**
   * Starts sending queued notices in the background. At start `takeOver` also sends notices a crashed
   * process had claimed (a peer sending the same notice at that moment would repeat it: at least once).
   */
  sendQueued(opts: { takeOver?: boolean } = {}): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    let takeOver = opts.takeOver ?? false;
    this.sending = (async () => {
      do {
        this.again = false;
        await this.sendQueuedOnce(takeOver);
        takeOver = false;
      } while (this.again);
    })()
      .catch((err) => this.log.error({ err }, "staff notice queue failed"))
      .finally(() => (this.sending = undefined));
  }

  /** Resolves when every queued notice has been sent (shutdown, tests). */
  async noticesSent(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async sendQueuedOnce(takeOver: boolean): Promise<void> {
    for (const { key } of await this.store.listState(NOTICE_PREFIX)) {
      // Claimed in the store, so two instances sharing it do not both send the same notice.
      const claim = Date.now();
      const stored = await this.store.updateState(key, (cur) => {
        const n = parseNotice(cur);
        if (!n) return undefined;
        return !takeOver && n.claimedAt && claim - n.claimedAt < NOTICE_CLAIM_MS ? cur : JSON.stringify({ ...n, claimedAt: claim });
      });
      const notice = parseNotice(stored);
      if (!notice || notice.claimedAt !== claim) continue;
      await this.send(notice);
      await this.store.deleteState(key);
    }
  }

  private async send(notice: Notice): Promise<void> {
    const t = await this.store.getTicket(notice.ticketId);
    if (!t) return;
    // A failing staff channel must not lose the ticket: it is stored already and visible on /staff.
    await Promise.all(
      this.notifiers
        .filter((n) => n.name !== notice.skip)
        .map((n) =>
          (notice.kind === "new" ? n.newTicket(t) : notice.kind === "reminder" ? n.reminder(t) : n.ticketUpdated(t, notice.note ?? "")).catch((err) =>
            this.log.error({ err, notifier: n.name }, "staff notification failed"),
          ),
        ),
    );
  }

}
