import type { Understander } from "../core/understand.js";
import type { AnswerPlanner } from "../core/answer-planner.js";
import { MODEL_FEATURES, type CalibrationFile } from "../core/confidence-model.js";
import { fitLogistic, predictLogistic } from "../core/logistic.js";
import type { EvalItem } from "./dataset.js";
import { collectRows, type AskRows } from "./collect.js";
import { chooseThreshold, type Decision, type RiskRow } from "./risk-coverage.js";

/** A wrong answer misleads a mayor who trusts it: it costs at least three needless hand-overs. */
export const COST_WRONG_VS_MISSED = 3;
const FOLDS = 5;
const LAMBDA = 5;

function fold(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % FOLDS;
}

function fit(rows: AskRows[]) {
  const x = rows.flatMap((r) => r.candidates.map((c) => c.x));
  const y = rows.flatMap((r) => r.candidates.map((c) => c.y));
  return fitLogistic(x, y, LAMBDA);
}

/** Each question's best candidate under a model: the one with the highest probability. */
function decide(rows: AskRows[], p: (x: number[]) => number): Decision[] {
  return rows.map((r) => {
    const scored = r.candidates.map((c) => ({ p: p(c.x), y: c.y })).sort((a, b) => b.p - a.p);
    return { answerable: r.answerable, p: scored[0]?.p ?? 0, right: scored[0]?.y === 1 };
  });
}

export interface CalibrationResult {
  file: CalibrationFile;
  /** Out-of-fold decisions on the threshold questions: each judged by a model that never saw it. */
  outOfFold: Decision[];
  chosen: RiskRow;
  items: number;
}

/**
 * Fits the answer confidence (logistic regression over the answerability features) on labelled messages,
 * and chooses the threshold on out-of-fold predictions with a wrong answer costing three hand-overs.
 * Deterministic: the same data gives the same file.
 */
export async function calibrate(
  items: EvalItem[],
  files: string[],
  understander: Understander,
  planner: AnswerPlanner,
  /** Questions the threshold is chosen on (default: all). */
  thresholdOn: (id: string) => boolean = () => true,
): Promise<CalibrationResult> {
  const rows = (await collectRows(items, understander, planner)).filter((r) => r.candidates.length);
  const outOfFold: Decision[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const m = fit(rows.filter((r) => fold(r.itemId) !== k));
    outOfFold.push(...decide(rows.filter((r) => fold(r.itemId) === k && thresholdOn(r.itemId)), (x) => predictLogistic(m, x)));
  }
  const chosen = chooseThreshold(outOfFold, COST_WRONG_VS_MISSED);
  const final = fit(rows);
  const round = (v: number) => Number(v.toFixed(6));
  const file: CalibrationFile = {
    fittedOn: { command: "npm run calibrate", files, rows: rows.reduce((a, r) => a + r.candidates.length, 0), questions: rows.length },
    features: [...MODEL_FEATURES],
    mean: final.mean.map(round),
    scale: final.scale.map(round),
    weights: final.weights.map(round),
    bias: round(final.bias),
    threshold: chosen.threshold,
    costWrongVsMissed: COST_WRONG_VS_MISSED,
  };
  return { file, outOfFold, chosen, items: items.length };
}

/** A model that says nothing yet: calibration runs the planner with it to collect features. */
export function neutralCalibration(): CalibrationFile {
  return {
    fittedOn: { command: "", files: [], rows: 0, questions: 0 },
    features: [...MODEL_FEATURES], mean: MODEL_FEATURES.map(() => 0), scale: MODEL_FEATURES.map(() => 1), weights: MODEL_FEATURES.map(() => 0), bias: 0,
    threshold: 0.5, costWrongVsMissed: COST_WRONG_VS_MISSED,
  };
}
