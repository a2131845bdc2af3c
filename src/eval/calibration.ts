import type { Understander } from "../core/understand.js";
import type { AnswerPlanner } from "../core/answer-planner.js";
import { EXAMPLE_FEATURES, MODEL_FEATURES, rankCandidates, type CalibrationFile, type FeatureName } from "../core/confidence-model.js";
import { fitLogistic, predictLogistic, type LogisticFit } from "../core/logistic.js";
import type { EvalItem } from "./dataset.js";
import { collectRows, type AskRows } from "./collect.js";
import { chooseThreshold, type Decision, type RiskRow } from "./risk-coverage.js";
import { ExampleMemory, PHRASING_PREFIX, type AbsentTermCounts, type Example, type ExamplesFile } from "../core/example-memory.js";
export { phrasingExamples } from "../core/example-memory.js";

/** A wrong answer misleads a mayor who trusts it: it costs at least three needless hand-overs. */
export const COST_WRONG_VS_MISSED = 3;
const FOLDS = 5;
const LAMBDA = 5;

function fold(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % FOLDS;
}

/** Column positions of the example features in a row (MODEL_FEATURES order). */
const EXAMPLE_AT = EXAMPLE_FEATURES.map((f) => MODEL_FEATURES.indexOf(f)).filter((i) => i >= 0);
const BASE_AT = MODEL_FEATURES.map((_, i) => i).filter((i) => !EXAMPLE_AT.includes(i));
const unknown = (x: number[]) => EXAMPLE_AT.some((i) => Number.isNaN(x[i]));

/**
 * Two fits on the same rows: the full model on passages of entries the examples know, and the same features
 * without the example ones on all passages (used for entries no labelled question names).
 */
function fit(rows: AskRows[]): { full: LogisticFit; base: LogisticFit } {
  const cands = rows.flatMap((r) => r.candidates);
  const known = cands.filter((c) => !unknown(c.x));
  return {
    full: fitLogistic(known.map((c) => c.x), known.map((c) => c.y), LAMBDA),
    base: fitLogistic(cands.map((c) => BASE_AT.map((i) => c.x[i])), cands.map((c) => c.y), LAMBDA),
  };
}

function predict(m: { full: LogisticFit; base: LogisticFit }, x: number[]): number {
  return unknown(x) ? predictLogistic(m.base, BASE_AT.map((i) => x[i])) : predictLogistic(m.full, x);
}

/** Each question's best candidate under a model: the one with the highest probability. */
const TYPE_AGREE_AT = MODEL_FEATURES.indexOf("typeAgree");

/** `tie`: the planner's closeness for the kind of answer to decide (rankCandidates). */
function decide(rows: AskRows[], p: (x: number[]) => number, tie: number): Decision[] {
  return rows.map((r) => {
    const scored = rankCandidates(r.candidates.map((c) => ({ p: p(c.x), y: c.y, entry: c.entry, agree: c.x[TYPE_AGREE_AT] })), (c) => c.p, (c) => c.agree, tie);
    return { answerable: r.answerable, p: scored[0]?.p ?? 0, right: scored[0]?.y === 1, id: r.itemId, entry: scored[0]?.entry };
  });
}

/** Entries that came up first for a question the knowledge does not answer, as examples of a wrong answer. */
const WRONG_PER_EXAMPLE = 3;

/** The labelled questions as examples: which entries answered each, which came up for it without answering. */
export function examplesOf(rows: AskRows[]): Example[] {
  return rows.map((r) => {
    const right = [...new Set(r.candidates.filter((c) => c.y === 1).map((c) => c.entry))];
    return {
      id: r.itemId,
      text: r.text,
      right,
      wrong: r.answerable ? [] : [...new Set(r.candidates.slice(0, WRONG_PER_EXAMPLE).map((c) => c.entry))],
      ...(right.length ? { facts: r.facts, need: r.need } : {}),
    };
  });
}

/** For each question term: how many candidates lacking it were right and wrong (all candidates of the rows). */
export function countAbsentTerms(rows: AskRows[]): AbsentTermCounts {
  const counts: Record<string, [number, number]> = {};
  let right = 0;
  let all = 0;
  for (const r of rows) {
    for (const c of r.candidates) {
      all++;
      if (c.y === 1) right++;
      for (const t of new Set(c.absent)) (counts[t] ??= [0, 0])[c.y === 1 ? 0 : 1]++;
    }
  }
  // Sorted keys: the same data writes the same file.
  const sorted = Object.fromEntries(Object.keys(counts).sort().map((t) => [t, counts[t]]));
  return { prior: all ? Math.min(0.99, Math.max(0.01, right / all)) : 0.5, counts: sorted };
}

/**
 * Fills the example features of every row from the other folds' examples only: a question never counts
 * as evidence for itself, as it cannot for a new question at run time. An entry the other folds never name
 * gets NaN, as at run time an entry without labelled questions (the model without examples judges it).
 */
function fillExampleFeatures(rows: AskRows[], memory: ExampleMemory): void {
  const [right, wrong, novel, vote] = EXAMPLE_FEATURES.map((f) => MODEL_FEATURES.indexOf(f));
  const telling = MODEL_FEATURES.indexOf("absentTelling");
  const otherFolds = Array.from({ length: FOLDS }, (_, k) => new ExampleMemory([], countAbsentTerms(rows.filter((r) => fold(r.itemId) !== k))));
  for (const r of rows) {
    const own = fold(r.itemId);
    if (telling >= 0) for (const c of r.candidates) c.x[telling] = otherFolds[own].absentTelling(c.absent);
    const evidence = memory.evidence(r.text, (id) => !id.startsWith(PHRASING_PREFIX) && fold(id) === own);
    for (const c of r.candidates) {
      const e = evidence(c.entry, { terms: r.terms, absent: c.absent });
      if (right >= 0) c.x[right] = e ? e.right : NaN;
      if (wrong >= 0) c.x[wrong] = e ? e.wrong : NaN;
      if (novel >= 0) c.x[novel] = e ? e.novel : NaN;
      if (vote >= 0) c.x[vote] = e ? e.vote : NaN;
    }
  }
}

export interface CalibrationResult {
  file: CalibrationFile;
  examples: ExamplesFile;
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
  /** Examples besides the labelled questions (the FAQ entries' own phrasings). */
  extraExamples: Example[] = [],
): Promise<CalibrationResult> {
  const collected = await collectRows(items, understander, planner);
  // Decided as the planner will decide with the fitted model.
  const tie = planner.typeAgreeTie;
  const rows = collected.filter((r) => r.candidates.length);
  const examples = [...examplesOf(rows), ...extraExamples];
  fillExampleFeatures(rows, new ExampleMemory(examples));
  const absentTerms = countAbsentTerms(rows);
  const outOfFold: Decision[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const m = fit(rows.filter((r) => fold(r.itemId) !== k));
    // Questions whose every candidate a hard limit blocks are decided too (handed over: missed when answerable), so
    // the cost of a change to a hard limit counts the questions it leaves without a candidate.
    outOfFold.push(...decide(collected.filter((r) => fold(r.itemId) === k && thresholdOn(r.itemId)), (x) => predict(m, x), tie));
  }
  const chosen = chooseThreshold(outOfFold, COST_WRONG_VS_MISSED);
  const final = fit(rows);
  const round = (v: number) => Number(v.toFixed(6));
  const linear = (m: LogisticFit, features: FeatureName[]) => ({
    features, mean: m.mean.map(round), scale: m.scale.map(round), weights: m.weights.map(round), bias: round(m.bias),
  });
  const file: CalibrationFile = {
    fittedOn: { command: "npm run calibrate", files, rows: rows.reduce((a, r) => a + r.candidates.length, 0), questions: rows.length },
    ...linear(final.full, [...MODEL_FEATURES]),
    withoutExamples: linear(final.base, BASE_AT.map((i) => MODEL_FEATURES[i])),
    threshold: chosen.threshold,
    costWrongVsMissed: COST_WRONG_VS_MISSED,
  };
  return { file, examples: { fittedOn: { command: "npm run calibrate", files, examples: examples.length }, examples, absentTerms }, outOfFold, chosen, items: items.length };
}

/** A model that says nothing yet: calibration runs the planner with it to collect features. */
export function neutralCalibration(): CalibrationFile {
  return {
    fittedOn: { command: "", files: [], rows: 0, questions: 0 },
    features: [...MODEL_FEATURES], mean: MODEL_FEATURES.map(() => 0), scale: MODEL_FEATURES.map(() => 1), weights: MODEL_FEATURES.map(() => 0), bias: 0,
    threshold: 0.5, costWrongVsMissed: COST_WRONG_VS_MISSED,
  };
}
