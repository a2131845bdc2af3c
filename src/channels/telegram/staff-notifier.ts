import type { Api } from "grammy";
import type { Logger } from "pino";
import type { ErasureCause, StaffNotifier } from "../../core/ports.js";
import type { Store, TicketRecord } from "../../store/store.js";
import { askedBefore, BEFORE_LABEL, channelLabel, erasedMessageNote, erasedTicketNote, reasonLabel, STATUS_LABEL } from "../../core/labels.js";
import { staffKeyboard } from "./keyboards.js";
import { STAFF_CHAT_NOTIFIER } from "./staff-chat.js";
import { escapeHtml } from "./render.js";
import type { StaffChat } from "./staff-chat.js";

function clip(s: string, n: number): string {
  const t = s.trim();
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
}

/**
 * A long draft ends at a line or sentence, with a pointer to the whole text: cut mid-word after 1,500 characters,
 * a Förder-Finder draft showed two of four programmes and "…bei der Verbandsgemeindev…" (user test).
 */
function clipAtBreak(s: string, n: number): string {
  const t = s.trim();
  if (t.length <= n) return t;
  const more = " … [gekürzt, ganz in /staff]";
  const head = t.slice(0, n - more.length);
  const at = Math.max(head.lastIndexOf("\n"), head.search(/[.!?](?=\s)[^.!?]*$/) + 1);
  return `${(at > head.length / 2 ? head.slice(0, at) : head.slice(0, Math.max(head.lastIndexOf(" "), 1))).trimEnd()}${more}`;
}

/**
 * A long message keeps its start and its end: after a story the question stands at the end, and the middle is
 * what staff can read on /staff ("…wir haben im Gemeinderat lan…" hid the question; user test).
 */
function clipMiddle(s: string, n: number): string {
  const t = s.trim();
  if (t.length <= n) return t;
  const head = Math.floor(n * 0.6);
  return `${t.slice(0, head)} … [gekürzt, ganz in /staff] … ${t.slice(t.length - (n - head))}`;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString("de-DE", { timeZone: "Europe/Berlin", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** "3 Stunden", "2 Tagen" — for "wartet seit …". */
export function waitingFor(sinceIso: string, now = Date.now()): string {
  const h = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 3600_000));
  if (h < 1) return "weniger als einer Stunde";
  if (h < 48) return `${h} ${h === 1 ? "Stunde" : "Stunden"}`;
  const d = Math.floor(h / 24);
  return `${d} Tagen`;
}

function who(t: TicketRecord): string {
  return t.userName?.trim() || "Ortsbürgermeister/in (Name unbekannt)";
}

/** The ticket post in the staff chat. Parts are clipped so one post stays far below 4096 characters. */
export function renderTicketPost(t: TicketRecord): string {
  const lines = [
    `<b>Vorgang Nr. ${t.id}</b> · ${escapeHtml(reasonLabel(t.reason))}`,
    `Von: ${escapeHtml(who(t))}${t.village ? ` (${escapeHtml(t.village)})` : ""} · ${channelLabel(t.channel)}`,
    `Eingang: ${when(t.createdAt)} · Status: ${STATUS_LABEL[t.status]}`,
    "",
    "<b>Frage</b>",
    `<blockquote>${escapeHtml(clipMiddle(t.question, 1200))}</blockquote>`,
  ];
  // "und bis wann?" alone tells staff nothing: what was asked before it stands under it, as on /staff (user test).
  const before = askedBefore(t);
  if (before) lines.push(`<i>${escapeHtml(BEFORE_LABEL)}</i> ${escapeHtml(clipMiddle(before, 600))}`);
  const passages = t.passages.slice(0, 3);
  if (passages.length) {
    lines.push("", "<b>Passende Abschnitte</b>", ...passages.map((p) => `• ${escapeHtml(clip(p.title, 150))}`));
  }
  if (t.draftAnswer?.trim()) {
    lines.push("", "<b>Entwurf des Ortslotsen</b>", `<blockquote expandable>${escapeHtml(clipAtBreak(t.draftAnswer, 1500))}</blockquote>`);
  }
  lines.push("", "<i>Zum Antworten: auf diese Nachricht antworten. Die Antwort geht in den Chat, aus dem die Frage kam.</i>");
  return lines.join("\n");
}

const staffMessagesKey = (ticketId: number) => `telegram:staffMessages:${ticketId}`;

/**
 * Remembers a bot message in the staff chat that shows something of a Vorgang (its posts and reminders, notes, "an …
 * zugestellt"), so that deleting the person's data can clear all of them: the edited post said "Name und Frage sind
 * entfernt" while the note and the delivery line below it still showed both (user test). Only the message ids are kept.
 */
export async function rememberStaffMessage(store: Store, ticketId: number, msg: { chat: { id: number }; message_id: number }): Promise<void> {
  const ref = `${msg.chat.id}:${msg.message_id}`;
  await store.updateState(staffMessagesKey(ticketId), (cur) => {
    let list: string[] = [];
    try {
      list = cur ? (JSON.parse(cur) as string[]) : [];
    } catch {
      list = [];
    }
    return JSON.stringify([...list.filter((x) => x !== ref), ref]);
  });
}

/** Parses "chatId:messageId" as stored by setTicketStaffPost. */
export function parseStaffPostRef(ref: string | undefined): { chatId: number; messageId: number } | undefined {
  const m = /^(-?\d+):(\d+)$/.exec(ref ?? "");
  return m ? { chatId: Number(m[1]), messageId: Number(m[2]) } : undefined;
}

/**
 * Posts tickets into the Telegram staff chat (TELEGRAM_STAFF_CHAT_ID) with "Übernehmen"/"Erledigt";
 * staff answer by replying to the post (features/staff.ts). Uses the throttled API: reminders can
 * re-post many tickets at once, and Telegram allows about 20 messages a minute into one group.
 */
export class TelegramStaffNotifier implements StaffNotifier {
  readonly name = STAFF_CHAT_NOTIFIER;

  constructor(private api: Api, private staff: StaffChat, private store: Store, private log: Logger) {}

  async newTicket(ticket: TicketRecord): Promise<void> {
    await this.post(ticket, renderTicketPost(ticket));
  }

  async ticketUpdated(ticket: TicketRecord, note: string): Promise<void> {
    const ref = parseStaffPostRef(ticket.staffPostRef);
    const text = `<b>Vorgang Nr. ${ticket.id}</b>: ${escapeHtml(clip(note, 1500))}`;
    const sent = await this.api.sendMessage(ref?.chatId ?? this.staff.chatId, text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(ref ? { reply_parameters: { message_id: ref.messageId, allow_sending_without_reply: true } } : {}),
    });
    await rememberStaffMessage(this.store, ticket.id, sent);
  }

  /**
   * The post loses name and question and its buttons. A post the bot can no longer edit (deleted by staff) gets
   * the note as a new message, so staff still learn why a reply to it finds no Vorgang.
   */
  async ticketErased(ticketId: number, staffPostRef?: string, cause: ErasureCause = "request"): Promise<void> {
    const ref = parseStaffPostRef(staffPostRef);
    const text = `🗑 ${escapeHtml(erasedTicketNote(ticketId, cause))}`;
    // Earlier posts (reminders re-post the Vorgang), notes and delivery lines lose what they showed, too.
    const key = staffMessagesKey(ticketId);
    let others: string[] = [];
    try {
      others = JSON.parse((await this.store.getState(key)) ?? "[]") as string[];
    } catch {
      others = [];
    }
    for (const other of others.map(parseStaffPostRef)) {
      if (!other || (ref && other.chatId === ref.chatId && other.messageId === ref.messageId)) continue;
      await this.api
        .editMessageText(other.chatId, other.messageId, `🗑 ${escapeHtml(erasedMessageNote(ticketId, cause))}`, { parse_mode: "HTML", reply_markup: { inline_keyboard: [] } })
        .catch((err) => this.log.debug({ err, ticket: ticketId }, "erased ticket's staff message not edited"));
    }
    await this.store.deleteState(key);
    if (ref) {
      try {
        await this.api.editMessageText(ref.chatId, ref.messageId, text, { parse_mode: "HTML", reply_markup: { inline_keyboard: [] } });
        return;
      } catch (err) {
        this.log.warn({ err, ticket: ticketId }, "erased ticket's staff post not edited; posting the note instead");
      }
    }
    // The retention run clears what is there; a new message per old Vorgang would only fill the staff chat.
    if (cause !== "request") return;
    await this.api.sendMessage(ref?.chatId ?? this.staff.chatId, text, { parse_mode: "HTML" });
  }

  async reminder(ticket: TicketRecord): Promise<void> {
    const status = ticket.status === "claimed" && ticket.staffMember ? `übernommen von ${ticket.staffMember}` : STATUS_LABEL[ticket.status];
    const html =
      `⏰ <b>Erinnerung: Vorgang Nr. ${ticket.id} wartet seit ${waitingFor(ticket.createdAt)}</b> (${escapeHtml(status)}).\n\n` + renderTicketPost(ticket);
    await this.post(ticket, html);
  }

  /** Posts with buttons and remembers the post, so a reply to it finds the ticket. */
  private async post(ticket: TicketRecord, html: string): Promise<void> {
    const msg = await this.api.sendMessage(this.staff.chatId, html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: staffKeyboard(ticket.id, ticket.status === "claimed"),
    });
    await this.store.setTicketStaffPost(ticket.id, `${msg.chat.id}:${msg.message_id}`);
    await rememberStaffMessage(this.store, ticket.id, msg);
    this.log.info({ ticket: ticket.id, messageId: msg.message_id }, "ticket posted to staff chat");
  }
}
