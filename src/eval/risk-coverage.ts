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
 * The threshold for answering: the lowest expected cost, a wrong answer counting `costWrong` times a needless
 * hand-over. The cost curve itself is a step function, flat and noisy near its lowest point: its minimum jumped
 * with one question more or less, and a rule on top of it (median of bootstrap minima of a box-smoothed curve,
 * used until the twelfth session) had two peaks, 0.75 and 0.77, so that any small change of the model flipped
 * the threshold and moved held-out figures by more than the change itself. Here each decision counts as
 * answered with the probability that its p lies above t under a normal blur of width SMOOTH (the data fixes the
 * threshold only to about ± 0.02): the expected cost is smooth in t and in the data, and the chosen point moves
 * little when one question or a near-identical model changes. Compared on out-of-fold decisions only: on six
 * small model variants of the tenth and eleventh sessions the old rule gave 0.74, 0.75 or 0.76, this one
 * 0.756–0.765; on random halves (choose on one, cost on the other) it costs 1–2 hand-overs more per 600, within
 * noise.
 */
export function chooseThreshold(ds: Decision[], costWrong: number): RiskRow {
  return riskAt(ds, lowestExpectedCost(ds, costWrong), costWrong);
}

/**
 * The threshold (to a thousandth) of lowest blurred cost. Thresholds whose blurred costs differ by less than one
 * needless hand-over are equally good, and of those the highest is taken, since a wrong answer costs more than
 * a hand-over. On a smooth curve that is where it rises past its lowest point by one hand-over: it moves with
 * the data continuously, not from one dip to another.
 */
export function lowestExpectedCost(ds: Decision[], costWrong: number, smooth = SMOOTH): number {
  const costs: number[] = [];
  for (let i = 50; i <= 950; i++) {
    const t = i / 1000;
    let cost = 0;
    for (const d of ds) {
      const answered = normalCdf((d.p - t) / smooth);
      if (!d.right) cost += costWrong * answered;
      if (d.answerable) cost += 1 - answered;
    }
    costs.push(cost);
  }
  const lowest = Math.min(...costs);
  let best = 0;
  costs.forEach((c, i) => {
    if (c < lowest + COST_TIE) best = i;
  });
  return (50 + best) / 1000;
}

/** Costs closer than this (one needless hand-over) count as equal. */
const COST_TIE = 1;

/** Standard normal distribution function (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const k = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * k - 1.453152027) * k + 1.421413741) * k - 0.284496736) * k + 0.254829592) * k * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Width of the blur over probabilities, in probability units. */
const SMOOTH = 0.02;

export function riskTable(ds: Decision[], costWrong: number, thresholds = [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]): RiskRow[] {
  return thresholds.map((t) => riskAt(ds, t, costWrong));
}

/** A threshold as the calibration chose it (to a thousandth), without a trailing zero: 0.754, 0.75. */
export function formatThreshold(t: number): string {
  return t.toFixed(3).replace(/0$/, "");
}

export function formatRiskTable(rows: RiskRow[], chosen?: number): string {
  const lines = ["Schwelle | beantwortet | richtig | falsch | verpasst | Präzision | Abdeckung", "---|---|---|---|---|---|---"];
  for (const r of rows) {
    const mark = chosen !== undefined && Math.abs(r.threshold - chosen) < 1e-9 ? " ◀ gewählt" : "";
    lines.push(`${formatThreshold(r.threshold)} | ${r.answered} | ${r.right} | ${r.wrong} | ${r.missed} | ${r.precision.toFixed(2)} | ${r.coverage.toFixed(2)}${mark}`);
  }
  return lines.join("\n");
}
