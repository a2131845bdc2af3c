import type { TicketStatus, TurnRecord, TicketRecord } from "../store/store.js";

const STATUS: Record<TicketStatus, string> = { open: "offen", claimed: "in Bearbeitung", answered: "beantwortet", closed: "erledigt" };

function day(iso: string): string {
  return new Date(iso).toLocaleDateString("de-DE", { timeZone: "Europe/Berlin", day: "2-digit", month: "2-digit", year: "numeric" });
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/**
 * What is stored about a person, in German, the same in every channel ("/meine_daten", "meine Daten",
 * the web chat's button). `deleteHint` names the channel's way to delete it.
 */
export function describeMyData(data: { turns: TurnRecord[]; tickets: TicketRecord[] }, who: string, deleteHint: string): string {
  if (!data.turns.length && !data.tickets.length) return "Über Sie sind keine Fragen und keine Vorgänge gespeichert.";
  const lines = [`Das ist über Sie gespeichert (${who}):`, ""];
  if (data.turns.length) {
    const first = data.turns[0].createdAt;
    const last = data.turns[data.turns.length - 1].createdAt;
    lines.push(`• ${data.turns.length} ${data.turns.length === 1 ? "Frage" : "Fragen"} mit Antwort, vom ${day(first)} bis ${day(last)}`);
    const rated = data.turns.filter((t) => t.feedback).length;
    if (rated) lines.push(`• ${rated} ${rated === 1 ? "Rückmeldung" : "Rückmeldungen"} (👍/👎)`);
  }
  for (const t of data.tickets) lines.push(`• Vorgang Nr. ${t.id} beim Team (${STATUS[t.status]}), vom ${day(t.createdAt)}`);
  const recent = data.turns.slice(-5).reverse();
  if (recent.length) {
    lines.push("", "Ihre letzten Fragen:");
    for (const t of recent) lines.push(`• „${clip(t.question, 100)}“`);
  }
  lines.push("", `Löschen können Sie alles mit ${deleteHint}.`);
  return lines.join("\n");
}
