/** Latency summary of one measured series, in milliseconds. */
export interface LatencyStats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
  /** Operations per second on one core, run one after the other (n / total time). */
  qps: number;
}

/** Nearest-rank quantile (no interpolation): p95 of 200 values is the 190th smallest. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(latenciesMs: number[]): LatencyStats {
  const s = [...latenciesMs].sort((a, b) => a - b);
  const total = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    p50: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    max: s.length ? s[s.length - 1] : 0,
    mean: s.length ? total / s.length : 0,
    qps: total > 0 ? (1000 * s.length) / total : 0,
  };
}

/** Times each call of `fn` over `items`, one after the other. */
export async function timeEach<T>(items: T[], fn: (item: T, i: number) => unknown | Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (const [i, it] of items.entries()) {
    const t = performance.now();
    await fn(it, i);
    out.push(performance.now() - t);
  }
  return out;
}

export { rng } from "../random.js";

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));
