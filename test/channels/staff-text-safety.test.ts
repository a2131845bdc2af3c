import { describe, expect, it } from "vitest";
import { ticketCard, userText } from "../../src/channels/teams/cards.js";
import { renderTicketPost } from "../../src/channels/telegram/staff-notifier.js";
import type { TicketRecord } from "../../src/store/store.js";

const HOSTILE = "Bitte prüfen: [hier neu anmelden](https://evil.example/staff/login) **sofort** <b>fett</b>";

const ticket = {
  id: 7, status: "open", reason: "person_requested", channel: "web", conversationId: "c", userId: "u",
  userName: "[Admin](https://evil.example/x)", question: HOSTILE, messages: [{ from: "mayor", text: HOSTILE, at: "2026-12-01T10:00:00Z" }],
  passages: [], topics: [], createdAt: "2026-12-01T10:00:00Z", updatedAt: "2026-12-01T10:00:00Z",
} as unknown as TicketRecord;

/** All text of an Adaptive Card (TextBlocks and FactSet values). */
function texts(node: unknown): string[] {
  if (!node || typeof node !== "object") return [];
  const o = node as Record<string, unknown>;
  const own = [o.text, o.value].filter((x): x is string => typeof x === "string");
  return [...own, ...Object.values(o).flatMap((v) => (Array.isArray(v) ? v.flatMap(texts) : texts(v)))];
}

describe("mayors' text in staff messages cannot become links or formatting", () => {
  it("Teams staff card: a Markdown link in the question or name is shown as text", () => {
    const all = texts(ticketCard(ticket).content).join("\n");
    expect(all).toContain("evil.example/staff/login");
    expect(all).not.toMatch(/\]\s*\(https?:/);
    expect(all).not.toContain("**sofort**");
    expect(userText("[a](https://x)")).toBe("[a]\u200B(https://x)");
  });

  it("Telegram staff post: the same text is escaped HTML, no link markup", () => {
    const html = renderTicketPost(ticket);
    expect(html).not.toMatch(/<a\s/);
    expect(html).toContain("&lt;b&gt;fett&lt;/b&gt;");
    expect(html).toContain("[hier neu anmelden](https://evil.example/staff/login)");
  });

  it("a follow-up of a few words shows what was asked before it, in Telegram and Teams as on /staff", () => {
    const followup = { ...ticket, question: "und bis wann?", context: [{ role: "mayor", text: "Gibt es Geld aus dem Regionalbudget für Sitzbänke?" }, { role: "bot", text: "Ja, bis 20.000 Euro." }] } as unknown as TicketRecord;
    expect(renderTicketPost(followup)).toContain("<i>Davor gefragt:</i> Gibt es Geld aus dem Regionalbudget für Sitzbänke?");
    expect(texts(ticketCard(followup).content).join("\n")).toContain("Davor gefragt: Gibt es Geld aus dem Regionalbudget für Sitzbänke?");
    // A question that stands alone gets no such line.
    expect(renderTicketPost(ticket)).not.toContain("Davor gefragt");
  });

  it("a long draft in the Telegram post ends at a line or sentence and says where the rest is", () => {
    const draft = Array.from({ length: 30 }, (_, i) => `• Programm ${i}: Förderquote 40 %, Kontakt bei der Verbandsgemeindeverwaltung.`).join("\n");
    const html = renderTicketPost({ ...ticket, draftAnswer: draft } as unknown as TicketRecord);
    const shown = /<blockquote expandable>([\s\S]*?)<\/blockquote>/.exec(html)![1];
    expect(shown).toMatch(/Verbandsgemeindeverwaltung\. … \[gekürzt, ganz in \/staff\]$/);
    expect(shown.length).toBeLessThanOrEqual(1500);
  });

  it("'Davor gefragt' goes back to the question a chain of follow-ups is about, and not under a question of its own", async () => {
    const { askedBefore } = await import("../../src/core/labels.js");
    const chain = { question: "und wer zahlt das?", context: [
      { role: "mayor", text: "Was ist die Übungsleiterpauschale?" }, { role: "bot", text: "…" },
      { role: "mayor", text: "Sind Helfer bei Arbeitseinsätzen unfallversichert?" }, { role: "bot", text: "…" },
      { role: "mayor", text: "und bei Vereinen?" }, { role: "bot", text: "…" },
    ] } as unknown as TicketRecord;
    expect(askedBefore(chain)).toBe("Sind Helfer bei Arbeitseinsätzen unfallversichert? – und bei Vereinen?");
    expect(askedBefore({ ...chain, question: "Wer versichert Helfer?" } as TicketRecord)).toBeUndefined();
  });
});
