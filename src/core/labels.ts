import type { ChannelName } from "./types.js";
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
 * A follow-up of a few words ("und bis wann?") is no question on its own: the mayor's message before it, which
 * staff need to read first (undefined for a question that stands alone).
 */
export function askedBefore(ticket: Pick<TicketRecord, "question" | "context">): string | undefined {
  const question = ticket.question.replace(/\s+/g, " ").trim();
  const before = [...(ticket.context ?? [])].reverse().find((c) => c.role === "mayor")?.text.replace(/\s+/g, " ").trim();
  return question.split(" ").length <= 4 && before && before !== question ? before : undefined;
}

/** What stays of a Vorgang's staff post once the person deleted their data (Telegram post, Teams card). */
export const erasedTicketNote = (id: number) =>
  `Vorgang Nr. ${id} wurde auf Wunsch der Person gelöscht. Name und Frage sind entfernt; es ist nichts mehr zu tun.`;

/** What stays of another staff-chat message about that Vorgang (a note, a delivery line). */
export const erasedMessageNote = (id: number) => `Gelöscht auf Wunsch der Person (Vorgang Nr. ${id}).`;

/** Labels for values read back from the store (an unknown one is shown as it is). */
export const reasonLabel = (r: string) => REASON_LABEL[r as HandoverReason] ?? r;
export const channelLabel = (c: string) => CHANNEL_LABEL[c as ChannelName] ?? c;
