import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import { sectionIsLegal } from "../../src/retrieval/chunker.js";

/** "Keine Rechtsberatung" belongs under legal answers, not under funding news of the same newsletter. */
describe("legal marking of newsletter sections", () => {
  let core: Awaited<ReturnType<typeof makeCore>>;
  beforeAll(async () => {
    // The note is under test, not the threshold: the funding question below is answered from its newsletter
    // section at about 0.45, under the calibrated threshold (FAQ entries and labelled examples about the same
    // programme make the section look less sure).
    core = await makeCore({ KNOWLEDGE_DIR: "knowledge", ANSWER_MIN_CONFIDENCE: "0.4" });
  });
  afterAll(async () => core.cleanup());

  it("reads the section's category from its heading", () => {
    expect(sectionIsLegal("Recht: Sind Helfer der Gemeinde unfallversichert?")).toBe(true);
    expect(sectionIsLegal("Steuer: Ehrenamtspauschale 840 Euro")).toBe(true);
    expect(sectionIsLegal("Förderung: Ehrenamtliche Bürgerprojekte über LEADER")).toBe(false);
    expect(sectionIsLegal("Aus der Praxis: Der Dorfladen Mandern")).toBe(false);
    // No category: the issue's own marking stands.
    expect(sectionIsLegal("Die Sammelversicherung im Überblick")).toBe(true);
  });

  it("marks only the legal sections of a legal newsletter", () => {
    const issue = core.retriever.chunks.filter((c) => c.meta.docId === "nl-2020-07");
    expect(issue.find((c) => c.meta.section.startsWith("Recht:"))!.meta.legal).toBe(true);
    expect(issue.find((c) => c.meta.section.startsWith("Förderung:"))!.meta.legal).toBe(false);
  });

  it("shows the note under an insurance answer and not under a funding answer from a newsletter section", async () => {
    const inc = { channel: "web" as const, conversationId: "legal-1", userId: "legal-1", isGroup: false };
    const insurance = await core.assistant.handle({ ...inc, text: "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?" });
    expect(insurance.action).toBe("answer");
    expect(insurance.disclaimer).toBeDefined();
    const funding = await core.assistant.handle({ ...inc, conversationId: "legal-2", userId: "legal-2", text: "Was unterstützt LEADER Moselfranken bei Mobilität und Nahversorgung?" });
    expect(funding.action).toBe("answer");
    // Answered from "Förderung: LEADER Moselfranken …" in a newsletter that is marked legal as a whole.
    expect(funding.sources[0].id).toBe("nl-2021-06#4");
    expect(funding.disclaimer).toBeUndefined();
  });
});
