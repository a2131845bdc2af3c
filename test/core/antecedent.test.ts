import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";

let core: Awaited<ReturnType<typeof makeCore>>;
beforeAll(async () => {
  core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
});
afterAll(async () => core.cleanup());

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
