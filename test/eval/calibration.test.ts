import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import { createLanguage } from "../../src/app.js";
import { CALIBRATION_FILE, ConfidenceModel, type CalibrationFile } from "../../src/core/confidence-model.js";
import { CALIBRATION_FILES, HOLDOUT_FILE, readItems, thresholdIds as thresholdQuestionIds } from "../../src/eval/dataset.js";
import { calibrate, neutralCalibration, phrasingExamples } from "../../src/eval/calibration.js";
import { EXAMPLES_FILE, ExampleMemory } from "../../src/core/example-memory.js";

type TestCore = Awaited<ReturnType<typeof makeCore>>;
let core: TestCore;
beforeAll(async () => {
  core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
});
afterAll(async () => core.cleanup());

describe("calibration (npm run calibrate)", () => {
  it("reproduces the shipped coefficients, threshold and examples from the labelled data", async () => {
    const shipped = JSON.parse(readFileSync(CALIBRATION_FILE, "utf8")) as CalibrationFile;
    // As `npm run calibrate` does: the same language, with the programme names of the knowledge.
    const { understander, planner } = createLanguage(core.retriever, new ConfidenceModel(neutralCalibration()), core.funding.programmes.map((p) => p.names), new ExampleMemory([]));
    const items = CALIBRATION_FILES.flatMap((f) => readItems(f));
    const thresholdIds = thresholdQuestionIds();
    const { file, examples, outOfFold } = await calibrate(items, CALIBRATION_FILES, understander, planner, (id) => thresholdIds.has(id), phrasingExamples(core.retriever));
    // A question whose every candidate a hard limit blocks is counted as handed over, not left out of the cost.
    expect(outOfFold.filter((d) => d.answerable && d.entry === undefined).length).toBeGreaterThan(0);
    expect(examples).toEqual(JSON.parse(readFileSync(EXAMPLES_FILE, "utf8")));
    expect(file.features).toEqual(shipped.features);
    expect(file.threshold).toBe(shipped.threshold);
    file.weights.forEach((w, i) => expect(w).toBeCloseTo(shipped.weights[i], 4));
    expect(file.bias).toBeCloseTo(shipped.bias, 4);
  }, 180_000);

  it("never sees the held-out part", () => {
    const shipped = JSON.parse(readFileSync(CALIBRATION_FILE, "utf8")) as CalibrationFile;
    expect(shipped.fittedOn.files).not.toContain(HOLDOUT_FILE);
    const calibrationIds = new Set(CALIBRATION_FILES.flatMap((f) => readItems(f)).map((i) => i.id));
    const heldOut = readItems(HOLDOUT_FILE);
    expect(heldOut.length).toBeGreaterThanOrEqual(200);
    expect(heldOut.filter((i) => calibrationIds.has(i.id))).toEqual([]);
    const calibrationQuestions = new Set(CALIBRATION_FILES.flatMap((f) => readItems(f)).map((i) => i.question.trim().toLowerCase()));
    expect(heldOut.filter((i) => calibrationQuestions.has(i.question.trim().toLowerCase()))).toEqual([]);
  });
});
