
export { STATUS_LABEL, reasonLabel, channelLabel, BEFORE_LABEL, askedBefore } from "../core/labels.js";
import type { TicketRecord } from "../store/store.js";

/**
 * What the mayor wrote into this Vorgang since the team last wrote in it (a reply, a further question): an answer
 * to the first question alone would leave it unanswered, so the list and the page name it above the question.
 */
export function unansweredAdditions(t: Pick<TicketRecord, "messages">): string[] {
  // The first message is the question itself.
  const lastStaff = t.messages.map((m) => m.from).lastIndexOf("staff");
  return t.messages.slice(Math.max(lastStaff + 1, 1)).filter((m) => m.from === "mayor").map((m) => m.text);
}

/** "+2 weitere Nachrichten" on the list. */
export const additionsLabel = (n: number) => (n === 1 ? "+1 weitere Nachricht der Person – bitte lesen" : `+${n} weitere Nachrichten der Person – bitte lesen`);


/** "seit 3 Std." — how long a ticket has been waiting, as staff say it. */
export function ageLabel(sinceIso: string, now = Date.now()): string {
  const min = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 60_000));
  if (min < 1) return "gerade eben";
  if (min < 60) return `seit ${min} Min.`;
  const h = Math.floor(min / 60);
  if (h < 48) return `seit ${h} Std.`;
  return `seit ${Math.floor(h / 24)} Tagen`;
}

export function dateTimeLabel(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso)) + " Uhr";
}

/** Today's date (YYYY-MM-DD) in the county's time zone. */
export function todayIso(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length <= max ? t : t.slice(0, max - 1).trimEnd() + "…";
}
