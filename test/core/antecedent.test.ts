import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";

let core: Awaited<ReturnType<typeof makeCore>>;
beforeAll(async () => {
  core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
});
afterAll(async () => core.cleanup());

const msg = (text: string, conversationId: string) => ({ channel: "cli" as const, conversationId, userId: conversationId, isGroup: false, text });

describe("what a follow-up is read with (language/segmentation.yaml, followup_chain)", () => {
  const u = { antecedentOf: (earlier: string[]) => core.understander.antecedentOf(earlier) };

  it("is the previous message when that one stood alone", () => {
    expect(u.antecedentOf([])).toBeUndefined();
    expect(u.antecedentOf(["Wie hoch ist die Ehrenamtspauschale?", "Was macht die Kreisstiftung?"])).toBe("Was macht die Kreisstiftung?");
  });

  it("joins earlier messages as long as each continued the one before", () => {
    expect(u.antecedentOf(["Was ist das Regionalbudget?", "Und wie viel gibt es pro Projekt?"]))
      .toBe("Was ist das Regionalbudget? Und wie viel gibt es pro Projekt?");
    expect(u.antecedentOf(["Wie hoch ist die Ehrenamtspauschale?", "Was ist das Regionalbudget?", "Und wie viel gibt es pro Projekt?", "und bis wann?"]))
      .toBe("Was ist das Regionalbudget? Und wie viel gibt es pro Projekt? und bis wann?");
  });

  it("stops after the chain's length", () => {
    const chain = ["Was ist das Regionalbudget?", "und wer?", "und wo?", "und wann?", "und wie?"];
    expect(u.antecedentOf(chain)).toBe("und wo? und wann? und wie?");
  });
});

describe("a follow-up without words of its own", () => {

  it("asks on about the previous question, and gets the capabilities reply only when nothing came before", async () => {
    await core.assistant.handle(msg("Wie hoch ist die Ehrenamtspauschale?", "f-1"));
    const r = await core.assistant.handle(msg("Und seit wann gilt die?", "f-1"));
    expect(r.action).toBe("answer");
    expect(r.reasons).toContain("followup:no-content");
    expect(r.text).toContain("2026"); // since 1 January 2026: 960 Euro
    const alone = await core.assistant.handle(msg("Und seit wann gilt die?", "f-2"));
    expect(alone.action).toBe("smalltalk");
    // A question of its own after another one gets the same answer as alone ("gibt es" points back to nothing).
    const alone2 = await core.assistant.handle(msg("Gibt es Geld für einen Dorfladen?", "f-4"));
    await core.assistant.handle(msg("Was ist die Ehrenamtskarte?", "f-5"));
    const after = await core.assistant.handle(msg("Gibt es Geld für einen Dorfladen?", "f-5"));
    expect(after.reasons.some((x) => x.startsWith("followup:"))).toBe(false);
    expect(after.text).toBe(alone2.text);
    // "Und bis wann?" after a description wants a deadline: the description's "jährlich rund 30 Mio. Euro" is none
    // (user test, session 35); the passage with the application period answers, or staff.
    await core.assistant.handle(msg("Was ist die DSEE?", "f-6"));
    const until = await core.assistant.handle(msg("und bis wann?", "f-6"));
    expect(until.text).not.toContain("30 Mio. Euro");
    if (until.action === "answer") expect(until.text).toMatch(/bis \d{1,2}\. \p{L}+/u);
    // Small talk after a question stays small talk.
    await core.assistant.handle(msg("Wie hoch ist die Ehrenamtspauschale?", "f-3"));
    expect((await core.assistant.handle(msg("Wie geht es dir?", "f-3"))).action).toBe("smalltalk");
  });
});

describe("a follow-up that also reads as a goodbye", () => {

  it("goes to staff after a question instead of being lost, and stays a goodbye without one", async () => {
    await core.assistant.handle(msg("Sind Helfer bei einem Arbeitseinsatz der Gemeinde unfallversichert?", "g-1"));
    // "bis dahin" is a goodbye example: the intent model takes "und auf dem weg dahin?" for one.
    const r = await core.assistant.handle(msg("und auf dem weg dahin?", "g-1"));
    expect(r.action).toBe("handover");
    expect(r.reasons).toContain("unclear:goodbye-or-followup");
    expect(r.ticket).toBeDefined();
    // Read as a follow-up it finds the entry on the way there: offered to the mayor and kept for staff.
    expect(r.sources?.map((x) => x.id)).toContain("faq-unfall-wegeunfall");
    const alone = await core.assistant.handle(msg("und auf dem weg dahin?", "g-2"));
    expect(alone.action).toBe("smalltalk");
    // A plain goodbye after a question is a goodbye.
    expect((await core.assistant.handle(msg("Danke, tschüss!", "g-1"))).action).toBe("smalltalk");
  });
});
