import { rng } from "../../src/random.js";
import { describe, expect, it } from "vitest";
import { chooseThreshold, lowestExpectedCost, riskAt, type Decision } from "../../src/eval/risk-coverage.js";

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

  it("chooses the threshold with the lowest cost", () => {
    // Below 0.5 the 20 wrong answers at 0.45 cost more than the 10 right ones at 0.55 save.
    const ds = decisions([[0.9, true, true, 30], [0.55, true, true, 10], [0.45, false, false, 20], [0.2, true, true, 3]]);
    const t = chooseThreshold(ds, 3).threshold;
    expect(t).toBeGreaterThan(0.45);
    expect(t).toBeLessThanOrEqual(0.55);
  });

  it("does not follow a dip of the cost curve at a single threshold", () => {
    // Raw minimum (3) only at 0.62, between a wrong answer at 0.615 and two right ones at 0.625; from 0.71 on
    // the cost is 4 over a whole range. One question more or less would move the dip: the range is chosen.
    const ds = decisions([[0.95, true, true, 20], [0.615, false, false, 1], [0.625, true, true, 2], [0.7, false, false, 1], [0.705, true, true, 2]]);
    expect(riskAt(ds, 0.62, 3).cost).toBe(3);
    expect(riskAt(ds, 0.8, 3).cost).toBe(4);
    expect(Math.min(...[0.55, 0.6, 0.61, 0.63, 0.7, 0.71, 0.8, 0.9].map((t) => riskAt(ds, t, 3).cost))).toBeGreaterThan(3);
    expect(chooseThreshold(ds, 3).threshold).toBeGreaterThan(0.7);
  });

  it("takes the careful end of a long flat stretch of the cost curve, the same one every time", () => {
    // From 0.6 to 0.9 every step trades one wrong answer for three missed ones: the cost is the same all along,
    // and above 0.9 up to the right answers at 0.97 nothing changes. Equal cost: the careful end is taken.
    const spec: [number, boolean, boolean, number][] = [[0.97, true, true, 60], [0.3, false, false, 40]];
    for (let t = 0.6; t < 0.9; t += 0.02) spec.push([Number(t.toFixed(2)), false, false, 1], [Number((t + 0.01).toFixed(2)), true, true, 3]);
    const ds = decisions(spec);
    const costs = [0.6, 0.7, 0.8, 0.9].map((t) => riskAt(ds, t, 3).cost);
    expect(Math.max(...costs) - Math.min(...costs)).toBeLessThanOrEqual(3);
    const a = chooseThreshold(ds, 3);
    expect(a.threshold).toBeGreaterThan(0.84);
    expect(a.threshold).toBeLessThan(0.97);
    expect(chooseThreshold(ds, 3)).toEqual(a);
  });

  it("moves little when one question more or less is labelled, or when a near-identical model shifts every p", () => {
    // Like the real out-of-fold decisions: the higher p, the likelier the question is answerable and the shown
    // answer right; answering pays from about p = 0.77 on.
    const random = rng(42);
    const ds: Decision[] = Array.from({ length: 1500 }, () => {
      const p = random();
      const answerable = random() < 0.2 + 0.8 * p;
      return { p, answerable, right: answerable && random() < 0.5 + 0.5 * p };
    });
    const t = chooseThreshold(ds, 3).threshold;
    expect(t).toBeGreaterThan(0.7);
    expect(t).toBeLessThan(0.85);
    for (let i = 0; i < ds.length; i += 37) {
      expect(Math.abs(lowestExpectedCost(ds.filter((_, j) => j !== i), 3) - t)).toBeLessThanOrEqual(0.015);
    }
    // Twenty models that differ from this one by at most ± 0.01 in each p: on average the blurred minimum moves
    // less than half as far as the plain cost minimum (a blur of width 0.0005 is practically none).
    const nearby = Array.from({ length: 20 }, () => ds.map((d) => ({ ...d, p: d.p + (random() - 0.5) * 0.02 })));
    const meanShift = (smooth?: number) => {
      const own = lowestExpectedCost(ds, 3, smooth);
      return nearby.reduce((a, m) => a + Math.abs(lowestExpectedCost(m, 3, smooth) - own), 0) / nearby.length;
    };
    const blurred = meanShift();
    expect(blurred).toBeLessThan(meanShift(0.0005) / 2);
    expect(blurred).toBeLessThanOrEqual(0.015);
  });

  it("takes the higher of two stretches whose costs differ by less than one hand-over", () => {
    // Cost 36 from 0.31 to 0.50; from 0.71 to 0.90 it alternates 37/36 (each step a right answer missed, then a
    // wrong one and two right ones passed): blurred 36.4-36.6, less than one hand-over worse. The careful one wins.
    const spec: [number, boolean, boolean, number][] = [[0.97, true, true, 40], [0.3, false, false, 2], [0.5, true, true, 6], [0.7, false, false, 2], [0.9, true, true, 5]];
    for (const g of [0.71, 0.73, 0.75, 0.77, 0.79, 0.81, 0.83, 0.85, 0.87, 0.89]) spec.push([g - 0.005, true, true, 1], [g + 0.005, false, false, 1], [g + 0.005, true, true, 2]);
    const ds = decisions(spec);
    expect(riskAt(ds, 0.4, 3).cost).toBe(36);
    expect(riskAt(ds, 0.75, 3).cost).toBe(37);
    const t = chooseThreshold(ds, 3).threshold;
    expect(t).toBeGreaterThan(0.8);
    expect(t).toBeLessThanOrEqual(0.9);
  });
});
