import type { ConversationRecord, Store, TurnRecord, TicketRecord } from "../store/store.js";
import { STATUS_FOR_MAYOR } from "./labels.js";
import { isQuestionTurn } from "./question-turn.js";
import type { ChannelName } from "./types.js";

export interface MyData {
  turns: TurnRecord[];
  tickets: TicketRecord[];
  /** The address of the person's private chat with the bot (how answers reach them), if kept. */
  conversation?: ConversationRecord;
  subscribed: boolean;
  /** Registered through an invite code (ACCESS_MODE=invite). */
  member: boolean;
}

/** How the web chat's contact form keeps a phone number or e-mail address with the Vorgang. */
export const REACH_PREFIX = "Erreichbar unter:";

/** The phone number or address a person gave for a Vorgang in the contact form (the newest), if any. */
export function reachOf(t: Pick<TicketRecord, "messages">): string | undefined {
  return t.messages.filter((m) => m.from === "mayor" && m.text.startsWith(REACH_PREFIX)).map((m) => m.text.slice(REACH_PREFIX.length).trim()).at(-1);
}

/** Everything kept about one person in one channel: the single source for every "my data" view and export. */
export async function collectMyData(store: Store, channel: ChannelName, userId: string): Promise<MyData> {
  const [{ turns, tickets }, conversation, subscribed, member] = await Promise.all([
    store.exportUserData(channel, userId),
    store.getConversation(channel, userId),
    store.isSubscribed(channel, userId),
    store.isMember(channel, userId),
  ]);
  return { turns, tickets, ...(conversation ? { conversation } : {}), subscribed, member };
}

function day(iso: string): string {
  return new Date(iso).toLocaleDateString("de-DE", { timeZone: "Europe/Berlin", day: "2-digit", month: "2-digit", year: "numeric" });
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/**
 * What is stored about a person, in German, the same in every channel ("/meine_daten", "meine Daten",
 * the web chat's button). `deleteHint` names the channel's way to delete it.
 */
export function describeMyData(data: MyData, who: string, deleteHint: string): string {
  if (!hasMyData(data)) return "Über Sie sind keine Fragen und keine Vorgänge gespeichert.";
  const lines = [`Das ist über Sie gespeichert (${who}):`, ""];
  if (data.turns.length) {
    const first = data.turns[0].createdAt;
    const last = data.turns[data.turns.length - 1].createdAt;
    // Greetings, commands and declined messages are kept too, but they are no questions (a user test read
    // "9 Fragen mit Antwort" after five questions).
    const questions = data.turns.filter(isQuestionTurn);
    const answered = questions.filter((t) => t.action === "answer").length;
    const handed = questions.length - answered;
    const what = questions.length
      ? `, davon ${questions.length} ${questions.length === 1 ? "Frage" : "Fragen"} (${[answered ? `${answered} beantwortet` : "", handed ? `${handed} an das Team gegeben` : ""].filter(Boolean).join(", ")})`
      : "";
    const when = day(first) === day(last) ? `am ${day(first)}` : `vom ${day(first)} bis ${day(last)}`;
    lines.push(`• ${data.turns.length} ${data.turns.length === 1 ? "Nachricht" : "Nachrichten"} an Ortslotse${what}, ${when}`);
    const rated = data.turns.filter((t) => t.feedback).length;
    if (rated) lines.push(`• ${rated} ${rated === 1 ? "Rückmeldung" : "Rückmeldungen"} (👍/👎)`);
  }
  for (const t of data.tickets) {
    // What the person gave for the team (web chat's form, Teams/Telegram name) is stored with the Vorgang too.
    const given = [t.userName?.trim(), t.village?.trim()].filter(Boolean).join(", ");
    const reach = reachOf(t);
    const details = [given, reach ? `erreichbar unter ${reach}` : ""].filter(Boolean).join("; ");
    lines.push(`• Vorgang Nr. ${t.id} beim Team (${STATUS_FOR_MAYOR[t.status]}), vom ${day(t.createdAt)}${details ? ` – Ihre Angaben: ${details}` : ""}`);
  }
  if (data.conversation) lines.push("• die Adresse Ihres Chats mit Ortslotse, damit Antworten des Teams Sie erreichen");
  if (data.subscribed) lines.push("• Ihr Abo des Wochenüberblicks");
  if (data.member) lines.push("• Ihre Freischaltung über einen Einladungscode");
  const recent = data.turns.filter(isQuestionTurn).slice(-5).reverse();
  if (recent.length) {
    lines.push("", "Ihre letzten Fragen:");
    for (const t of recent) lines.push(`• „${clip(t.question, 100)}“`);
  }
  lines.push("", `Löschen können Sie alles mit ${deleteHint}.`);
  return lines.join("\n");
}

export function hasMyData(data: MyData): boolean {
  return data.turns.length > 0 || data.tickets.length > 0 || Boolean(data.conversation) || data.subscribed || data.member;
}
