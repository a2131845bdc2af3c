import type { Sparse } from "./features.js";

/**
 * Multinomial logistic regression on sparse features, trained by AdaGrad with L2 shrinkage in a fixed
 * order (deterministic: the same examples always give the same model).
 */
export class SoftmaxModel {
  private w = new Map<string, Float64Array>();
  private b: Float64Array;

  constructor(readonly classes: string[]) {
    this.b = new Float64Array(classes.length);
  }

  private scores(x: Sparse): Float64Array {
    const z = Float64Array.from(this.b);
    for (const [f, v] of x) {
      const wf = this.w.get(f);
      if (!wf) continue;
      for (let c = 0; c < z.length; c++) z[c] += wf[c] * v;
    }
    return z;
  }

  probabilities(x: Sparse): number[] {
    return SoftmaxModel.softmax(this.scores(x));
  }

  /** Class probabilities from class scores. */
  static softmax(z: Float64Array): number[] {
    const max = Math.max(...z);
    const e = Array.from(z, (v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }

  /** One feature's weight per class (undefined: the model has none for it). */
  weightsOf(feature: string): Float64Array | undefined {
    return this.w.get(feature);
  }

  /** The class biases (read only). */
  get bias(): Float64Array {
    return this.b;
  }

  /** The trained weights as plain data (feature names, one row of class weights per feature, biases). */
  dump(): { classes: string[]; features: string[]; weights: Float64Array; bias: number[] } {
    const features = [...this.w.keys()];
    const k = this.classes.length;
    const weights = new Float64Array(features.length * k);
    features.forEach((f, i) => weights.set(this.w.get(f)!, i * k));
    return { classes: this.classes, features, weights, bias: Array.from(this.b) };
  }

  static restore(d: { classes: string[]; features: string[]; weights: Float64Array; bias: number[] }): SoftmaxModel {
    const m = new SoftmaxModel(d.classes);
    const k = d.classes.length;
    if (d.weights.length !== d.features.length * k || d.bias.length !== k) throw new Error("intent model cache does not fit");
    d.features.forEach((f, i) => m.w.set(f, d.weights.slice(i * k, (i + 1) * k)));
    m.b = Float64Array.from(d.bias);
    return m;
  }

  static train(classes: string[], data: { x: Sparse; y: number; weight?: number }[], opts: { epochs?: number; rate?: number; l2?: number } = {}): SoftmaxModel {
    const m = new SoftmaxModel(classes);
    const epochs = opts.epochs ?? 25;
    const rate = opts.rate ?? 0.5;
    const l2 = opts.l2 ?? 1e-4;
    const k = classes.length;
    const g2 = new Map<string, Float64Array>();
    const gb = new Float64Array(k).fill(1e-8);
    for (let ep = 0; ep < epochs; ep++) {
      for (const { x, y, weight = 1 } of data) {
        const p = m.probabilities(x);
        for (let c = 0; c < k; c++) {
          const g = (p[c] - (c === y ? 1 : 0)) * weight;
          gb[c] += g * g;
          m.b[c] -= (rate * g) / Math.sqrt(gb[c]);
        }
        for (const [f, v] of x) {
          let wf = m.w.get(f);
          let gf = g2.get(f);
          if (!wf || !gf) {
            wf = new Float64Array(k);
            gf = new Float64Array(k).fill(1e-8);
            m.w.set(f, wf);
            g2.set(f, gf);
          }
          for (let c = 0; c < k; c++) {
            const g = (p[c] - (c === y ? 1 : 0)) * v * weight + l2 * wf[c];
            gf[c] += g * g;
            wf[c] -= (rate * g) / Math.sqrt(gf[c]);
          }
        }
      }
    }
    return m;
  }
}
