import { describe, expect, it } from "vitest";
import { MAX_QUESTION_CHARS, sanitizeText } from "../../src/core/sanitize.js";

describe("sanitizeText: what the core reads of a message", () => {
  it("keeps a short message whole", () => {
    const c = sanitizeText("  Wie hoch ist die Ehrenamtspauschale?\u200B ");
    expect(c).toMatchObject({ text: "Wie hoch ist die Ehrenamtspauschale?", truncated: false });
  });

  it("reads the start and the end of a long story, so the question after it is not lost", () => {
    const story = "Bei uns im Dorf war letzten Samstag der große Arbeitseinsatz am Bürgerhaus, viele haben mitgemacht. ".repeat(60);
    const c = sanitizeText(`Guten Tag, ich muss ausholen. ${story}Frage: Wer zahlt, wenn sich dabei einer verletzt?`);
    expect(c.truncated).toBe(true);
    expect(c.text.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS + 2);
    expect(c.text.startsWith("Guten Tag, ich muss ausholen.")).toBe(true);
    expect(c.text.endsWith("Frage: Wer zahlt, wenn sich dabei einer verletzt?")).toBe(true);
    // Cut between words and at a sentence start, never inside a word.
    expect(c.text).toMatch(/\n\nBei uns im Dorf/);
  });

  it("stores at most 10,000 characters of a huge paste", () => {
    expect(sanitizeText("a".repeat(50_000)).stored.length).toBe(10_000);
  });
});
