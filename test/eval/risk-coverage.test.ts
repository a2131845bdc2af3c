import { describe, expect, it } from "vitest";
import { chooseThreshold, costStandardError, riskAt, type Decision } from "../../src/eval/risk-coverage.js";

/** Decisions from [probability, answerable, right, how many]. */
const decisions = (spec: [p: number, answerable: boolean, right: boolean, n: number][]): Decision[] =>
  spec.flatMap(([p, answerable, right, n]) => Array.from({ length: n }, () => ({ p, answerable, right })));

describe("risk–coverage and the answering threshold", () => {
  it("counts right, wrong and missed answers at a threshold, a wrong answer costing three hand-overs", () => {
    const ds = decisions([[0.9, true, true, 5], [0.6, true, true, 3], [0.7, false, false, 2], [0.2, true, false, 1]]);
    const r = riskAt(ds, 0.65, 3);
    expect(r).toMatchObject({ answered: 7, right: 5, wrong: 2, missed: 4, cost: 3 * 2 + 4 });
    expect(r.precision).toBeCloseTo(5 / 7);
  });

  it("takes the most cautious threshold whose cost is within one standard error of the lowest", () => {
    // Lowest cost (11) from 0.61 to 0.70; answering only the surest (≥ 0.81) costs 12 — within one standard
    // error, so the cautious threshold is chosen, not 0.70.
    const ds = decisions([[0.9, true, true, 30], [0.7, true, true, 10], [0.6, false, false, 1], [0.8, false, false, 3], [0.3, false, false, 20], [0.3, true, true, 2]]);
    expect(riskAt(ds, 0.7, 3).cost).toBe(11);
    expect(riskAt(ds, 0.9, 3).cost).toBe(12);
    const chosen = chooseThreshold(ds, 3);
    expect(chosen.threshold).toBeGreaterThanOrEqual(0.81);
    expect(chosen.cost).toBeLessThanOrEqual(11 + costStandardError(ds, 0.7, 3));
  });

  it("keeps the lowest-cost threshold when a more cautious one costs clearly more", () => {
    const ds = decisions([[0.9, true, true, 5], [0.6, true, true, 60], [0.3, false, false, 40]]);
    expect(chooseThreshold(ds, 3).threshold).toBeLessThanOrEqual(0.6);
  });
});
