import { rng } from "../random.js";

/** One question's best candidate: its probability and whether its answer would be right. */
export interface Decision {
  answerable: boolean;
  p: number;
  right: boolean;
  /** Which labelled question and entry (for `npm run calibrate -- --oof`). */
  id?: string;
  entry?: string;
}

export interface RiskRow {
  threshold: number;
  answered: number;
  right: number;
  wrong: number;
  missed: number;
  precision: number;
  coverage: number;
  cost: number;
}

/** Answer when p ≥ threshold: right, wrong (answered but not right) and missed (answerable, not answered right). */
export function riskAt(ds: Decision[], threshold: number, costWrong: number): RiskRow {
  let answered = 0;
  let right = 0;
  let missed = 0;
  for (const d of ds) {
    const answers = d.p >= threshold;
    if (answers) {
      answered++;
      if (d.right) right++;
    }
    if (d.answerable && !(answers && d.right)) missed += answers ? 0 : 1;
  }
  const wrong = answered - right;
  const answerable = ds.filter((d) => d.answerable).length;
  return {
    threshold, answered, right, wrong, missed,
    precision: answered ? right / answered : 1,
    coverage: answerable ? right / answerable : 1,
    cost: costWrong * wrong + missed,
  };
}

/**
 * The threshold for answering: the lowest cost, a wrong answer counting `costWrong` times a needless
 * hand-over. The cost curve is flat and noisy near its lowest point: one question more or less moved the
 * minimum by several hundredths, and between equally good models by more than a tenth (0.70 ↔ 0.82 with the
 * same risk–coverage curve). So each threshold is judged by its cost averaged over its neighbours
 * (± SMOOTH_STEPS hundredths), that lowest point is found on RESAMPLES bootstrap resamples of the questions
 * (fixed seed: the same data gives the same threshold), and the median of those is taken.
 */
export function chooseThreshold(ds: Decision[], costWrong: number): RiskRow {
  const random = rng(20261202);
  const picks: number[] = [];
  for (let b = 0; b < RESAMPLES; b++) picks.push(lowestSmoothedCost(ds.map(() => ds[Math.floor(random() * ds.length)]), costWrong));
  picks.sort((a, b) => a - b);
  const median = ds.length ? picks[Math.floor(RESAMPLES / 2)] : lowestSmoothedCost(ds, costWrong);
  return riskAt(ds, median, costWrong);
}

/** The threshold whose cost, averaged over its neighbours, is lowest (near-ties: the higher threshold). */
export function lowestSmoothedCost(ds: Decision[], costWrong: number): number {
  const rows: RiskRow[] = [];
  for (let t = 0.05; t <= 0.951; t += 0.01) rows.push(riskAt(ds, Number(t.toFixed(2)), costWrong));
  const smoothed = rows.map((_, i) => {
    const window = rows.slice(Math.max(0, i - SMOOTH_STEPS), i + SMOOTH_STEPS + 1);
    return window.reduce((a, r) => a + r.cost, 0) / window.length;
  });
  // Costs count questions: thresholds whose averaged costs differ by less than one needless hand-over are
  // equally good, and of those the higher one is taken, since a wrong answer costs more than a hand-over.
  const lowest = Math.min(...smoothed);
  let best = 0;
  smoothed.forEach((c, i) => {
    if (c < lowest + COST_TIE) best = i;
  });
  return rows[best].threshold;
}

/** Smoothed costs closer than this (one needless hand-over) count as equal. */
const COST_TIE = 1;

const SMOOTH_STEPS = 3;
const RESAMPLES = 201;

export function riskTable(ds: Decision[], costWrong: number, thresholds = [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]): RiskRow[] {
  return thresholds.map((t) => riskAt(ds, t, costWrong));
}

export function formatRiskTable(rows: RiskRow[], chosen?: number): string {
  const lines = ["Schwelle | beantwortet | richtig | falsch | verpasst | Präzision | Abdeckung", "---|---|---|---|---|---|---"];
  for (const r of rows) {
    const mark = chosen !== undefined && Math.abs(r.threshold - chosen) < 1e-9 ? " ◀ gewählt" : "";
    lines.push(`${r.threshold.toFixed(2)} | ${r.answered} | ${r.right} | ${r.wrong} | ${r.missed} | ${r.precision.toFixed(2)} | ${r.coverage.toFixed(2)}${mark}`);
  }
  return lines.join("\n");
}
