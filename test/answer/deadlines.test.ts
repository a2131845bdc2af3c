import { describe, expect, it } from "vitest";
import { passedDeadlines } from "../../src/answer/deadlines.js";
import { loadLanguageData } from "../../src/language/resources.js";
import { makeCore } from "../support/core.js";

const cues = loadLanguageData().answerability.deadline_cues!;
const today = new Date("2026-12-05T10:00:00");

describe("deadlines an answer gives that have passed (language/answerability.yaml, deadline_cues)", () => {
  it("finds a deadline before today after its cue, in words or digits, each once", () => {
    expect(passedDeadlines("Höchstens 800 Euro. Bewerbungsschluss ist der 30. September 2026.", today, cues)).toEqual(["30. September 2026"]);
    expect(passedDeadlines("Anträge bis zum 15.01.2026, danach bis zum 15.01.2026 nicht mehr.", today, cues)).toEqual(["15. Januar 2026"]);
    expect(passedDeadlines("Für 2025 galt: Anträge ab 15. Februar, Frist 30. Mai 2025.", today, cues)).toEqual(["30. Mai 2025"]);
  });

  it("leaves coming deadlines and dates that are no deadline", () => {
    expect(passedDeadlines("Anträge sind bis zum 31. März 2027 möglich.", today, cues)).toEqual([]);
    expect(passedDeadlines("Der Ministerrat hat sie am 29. April 2014 beschlossen.", today, cues)).toEqual([]);
    // The cue ends with its sentence.
    expect(passedDeadlines("Eine Frist gibt es nicht. Das Projekt begann am 3. Mai 2025.", today, cues)).toEqual([]);
    // Today is not past.
    expect(passedDeadlines("Einsendeschluss: 5. Dezember 2026.", today, cues)).toEqual([]);
  });

  it("an answer with a passed deadline says so; one without a deadline says nothing", async () => {
    const core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
    try {
      // The Brückenpreis entry names the deadline of its last round (16. September 2024).
      const r = await core.assistant.handle({ channel: "web", conversationId: "dl", userId: "dl", isGroup: false, text: "Was bekommt man beim Brückenpreis?" });
      expect(r.action).toBe("answer");
      expect(r.text).toContain("Achtung: Diese Frist ist vorbei (16. September 2024).");
      const now = await core.assistant.handle({ channel: "web", conversationId: "dl2", userId: "dl2", isGroup: false, text: "Wie hoch ist die Ehrenamtspauschale?" });
      expect(now.text).not.toContain("Achtung: Diese Frist");
    } finally {
      await core.cleanup();
    }
  });
});
