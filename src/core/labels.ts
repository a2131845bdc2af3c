import type { ChannelName } from "./types.js";
import type { ErasureCause } from "./ports.js";
import type { HandoverReason, TicketRecord, TicketStatus } from "../store/store.js";

/*
 * Every label for a Vorgang, written once: /staff, the Telegram staff chat, the Teams staff card and a
 * mayor's "meine Daten" used to word the same state three ways ("übernommen" here, "in Bearbeitung" there).
 */

/** A Vorgang's state as staff see it. */
export const STATUS_LABEL: Record<TicketStatus, string> = { open: "offen", claimed: "übernommen", answered: "beantwortet", closed: "erledigt" };

/** The same state as the mayor reads it: who took it over is staff business. */
export const STATUS_FOR_MAYOR: Record<TicketStatus, string> = { ...STATUS_LABEL, claimed: "in Bearbeitung" };

/** Why a question reached staff. */
export const REASON_LABEL: Record<HandoverReason, string> = {
  low_confidence: "Keine sichere Antwort gefunden",
  individual_case: "Einzelfall",
  person_requested: "Wunsch nach einem Menschen",
  thumbs_down: "Antwort als nicht hilfreich bewertet",
  llm_failure: "Technische Störung",
  not_covered: "Steht nicht in den Unterlagen",
  funding_check: "Förder-Finder: passt die Liste? (steht im Entwurf)",
  delivery_failed: "Antwort konnte nicht zugestellt werden",
  refusal_review: "Abgelehnt, aber nicht sicher – bitte prüfen",
};

export const CHANNEL_LABEL: Record<ChannelName, string> = { telegram: "Telegram", teams: "Microsoft Teams", web: "Web-Chat", cli: "Kommandozeile" };

/** Above a follow-up of a few words, wherever staff read a Vorgang: what the mayor asked just before it. */
export const BEFORE_LABEL = "Davor gefragt:";

/**
 * A follow-up of a few words without a noun of its own ("und bis wann?", "und bei Vereinen?" counts: its noun comes
 * after "bei") is no question on its own. Staff need the messages before it, back to the one that says what it is
 * about ("Sind Helfer … versichert? – und bei Vereinen?"); undefined for a question that stands alone ("Wer versichert
 * Helfer?" got an unrelated earlier question as "Davor gefragt", user test).
 */
export function askedBefore(ticket: Pick<TicketRecord, "question" | "context">): string | undefined {
  const flat = (t: string) => t.replace(/\s+/g, " ").trim();
  const question = flat(ticket.question);
  if (!isShortFollowup(question)) return undefined;
  const chain: string[] = [];
  for (const c of [...(ticket.context ?? [])].reverse()) {
    if (c.role !== "mayor") continue;
    const text = flat(c.text);
    if (text === question && !chain.length) continue;
    chain.unshift(text);
    if (!isShortFollowup(text) || chain.length >= 3) break;
  }
  return chain.length ? chain.join(" – ") : undefined;
}

/** Four words at most, and no capitalised word (a German noun) after the first one, unless it starts with "und", "aber" … */
function isShortFollowup(text: string): boolean {
  const words = text.split(" ");
  if (words.length > 4) return false;
  const nouns = words.slice(1).filter((w) => /^\p{Lu}/u.test(w));
  // "und bei Vereinen?" names whom the question before is now asked for: still a follow-up.
  return nouns.length === 0 || /^(und|aber|oder|auch)$/i.test(words[0]);
}

/** What stays of a Vorgang's staff post once its personal data is erased (Telegram post, Teams card). */
export const erasedTicketNote = (id: number, cause: ErasureCause = "request") =>
  ({
    request: `Vorgang Nr. ${id} wurde auf Wunsch der Person gelöscht. Name und Frage sind entfernt; es ist nichts mehr zu tun.`,
    retention: `Vorgang Nr. ${id} wurde nach Ablauf der Aufbewahrungsfrist gelöscht. Name und Frage sind entfernt.`,
    expired: `Vorgang Nr. ${id} blieb bis zum Ablauf der Aufbewahrungsfrist ohne Abschluss und wurde geschlossen. Name und Frage sind entfernt; bitte antworten Sie nicht mehr darauf.`,
  })[cause];

/** What stays of another staff-chat message about that Vorgang (a note, a delivery line). */
export const erasedMessageNote = (id: number, cause: ErasureCause = "request") =>
  cause === "request" ? `Gelöscht auf Wunsch der Person (Vorgang Nr. ${id}).` : `Gelöscht nach Ablauf der Aufbewahrungsfrist (Vorgang Nr. ${id}).`;

/** Labels for values read back from the store (an unknown one is shown as it is). */
export const reasonLabel = (r: string) => REASON_LABEL[r as HandoverReason] ?? r;
export const channelLabel = (c: string) => CHANNEL_LABEL[c as ChannelName] ?? c;
