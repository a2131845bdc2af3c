import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import { HOLDOUT_FILE, readItems, type EvalItem } from "../../src/eval/dataset.js";
import { runEval, wrongCause } from "../../src/eval/run.js";

/** The figures the README states for the held-out part (eval/README.md explains how they were obtained). */
const floor = JSON.parse(readFileSync("eval/holdout-floor.json", "utf8")) as { precision: number; pass: number; coverage: number; individualAnswered: number };

type TestCore = Awaited<ReturnType<typeof makeCore>>;
let core: TestCore;
beforeAll(async () => {
  core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
});
afterAll(async () => core.cleanup());

describe("held-out questions (never used for calibration)", () => {
  it("keeps precision, pass rate and coverage at or above the README's figures, and answers no more individual cases than the README allows", async () => {
    const s = await runEval(core, readItems(HOLDOUT_FILE));
    const summary = `pass ${s.rate.toFixed(3)}, precision ${s.precision.toFixed(3)}, coverage ${s.coverage.toFixed(3)}, wrong ${s.wrong}, individual answered ${s.individualAnswered}`;
    expect(s.precision, summary).toBeGreaterThanOrEqual(floor.precision);
    expect(s.rate, summary).toBeGreaterThanOrEqual(floor.pass);
    expect(s.coverage, summary).toBeGreaterThanOrEqual(floor.coverage);
    expect(s.individualAnswered, summary).toBeLessThanOrEqual(floor.individualAnswered);
  }, 120_000);

  it("counts an expected source named by its file as found (the shared sets name files, \"faq-….md\")", async () => {
    const item: EvalItem = { id: "recall-md", question: "Wie hoch ist die Ehrenamtspauschale?", expected_action: "answer", expected_facts: ["840 Euro"], expected_sources: ["faq-ehrenamtspauschale.md"] };
    const s = await runEval(core, [item]);
    expect(s.recallN).toBe(1);
    expect(s.recallHits).toBe(1);
  }, 60_000);

  it("sorts a wrong answer by its cause: a question for staff answered, another entry, the right entry without the words", () => {
    const base: EvalItem = { id: "w", question: "?", expected_action: "answer", expected_facts: ["x"], expected_sources: ["faq-a.md", "nl-2024-01"] };
    expect(wrongCause({ ...base, expected_action: "handover", expected_sources: [] }, ["faq-a"])).toBe("notForAnswer");
    expect(wrongCause(base, ["faq-b", "nl-2023-01#2"])).toBe("otherEntry");
    expect(wrongCause(base, ["faq-b", "faq-a"])).toBe("entryWithoutWords");
    expect(wrongCause(base, ["nl-2024-01#3"])).toBe("entryWithoutWords");
    expect(wrongCause({ ...base, expected_sources: undefined }, ["faq-a"])).toBe("unlabelled");
  });
});
