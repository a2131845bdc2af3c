/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised features.
 * Small and deterministic: the same data always gives the same coefficients.
 */
export interface LogisticFit {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

export function fitLogistic(x: number[][], y: number[], lambda = 1, iterations = 50): LogisticFit {
  const d = x[0]?.length ?? 0;
  const n = x.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((a, r) => a + r[j], 0) / (n || 1));
  const scale = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((a, r) => a + (r[j] - mean[j]) ** 2, 0) / (n || 1)) || 1);
  const z = x.map((r) => [1, ...r.map((v, j) => (v - mean[j]) / scale[j])]);
  let w = new Array(d + 1).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-z[i].reduce((a, v, j) => a + v * w[j], 0)));
      const s = p * (1 - p);
      for (let j = 0; j <= d; j++) {
        grad[j] += (p - y[i]) * z[i][j];
        for (let k = 0; k <= d; k++) hess[j][k] += s * z[i][j] * z[i][k];
      }
    }
    // The bias is not shrunk.
    for (let j = 1; j <= d; j++) {
      grad[j] += lambda * w[j];
      hess[j][j] += lambda;
    }
    const step = solve(hess, grad);
    w = w.map((v, j) => v - step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { mean, scale, weights: w.slice(1), bias: w[0] };
}

export function predictLogistic(fit: LogisticFit, row: number[]): number {
  const zsum = row.reduce((a, v, j) => a + fit.weights[j] * ((v - fit.mean[j]) / (fit.scale[j] || 1)), fit.bias);
  return 1 / (1 + Math.exp(-zsum));
}
