import { dot, l2normalize, surfaceFeatures, type Sparse } from "./features.js";

export type IntentAction = "smalltalk" | "refuse" | "handover" | "question";

export interface IntentDef {
  intent: string;
  action: IntentAction;
  description?: string;
  /** Below this similarity to its nearest example the intent is not trusted (falls back to "question"). */
  min_similarity?: number;
  examples: string[];
  must_match?: string[];
  must_not_match?: string[];
}

export interface IntentGuess {
  intent: string;
  action: IntentAction;
  /** Share of the neighbours' similarity that voted for this intent (0..1). */
  share: number;
  /** Similarity to the nearest example of this intent. */
  similarity: number;
  nearest: string;
}

interface Example {
  intent: string;
  text: string;
  vec: Sparse;
}

const K = 3;
const DEFAULT_MIN_SIMILARITY = 0.2;

/**
 * Nearest-example intent classifier over surface features (words, word pairs, character n-grams),
 * TF-IDF weighted. Chosen over a trained model because every decision can be explained by the example
 * it resembles, and staff-editable example files are the whole model.
 */
export class IntentClassifier {
  private examples: Example[] = [];
  private idf = new Map<string, number>();
  private defs = new Map<string, IntentDef>();

  constructor(defs: IntentDef[], extraQuestions: string[] = []) {
    for (const d of defs) this.defs.set(d.intent, d);
    if (!this.defs.has("question")) this.defs.set("question", { intent: "question", action: "question", examples: [] });
    const raw: { intent: string; text: string; f: Sparse }[] = [];
    for (const d of this.defs.values()) for (const t of d.examples) raw.push({ intent: d.intent, text: t, f: surfaceFeatures(t) });
    for (const t of extraQuestions) raw.push({ intent: "question", text: t, f: surfaceFeatures(t) });
    const df = new Map<string, number>();
    for (const r of raw) for (const k of r.f.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const n = raw.length;
    for (const [k, c] of df) this.idf.set(k, Math.log(1 + n / (1 + c)));
    this.examples = raw.map((r) => ({ intent: r.intent, text: r.text, vec: this.weigh(r.f) }));
  }

  private weigh(f: Sparse): Sparse {
    const v: Sparse = new Map();
    // Features no example has carry no evidence either way; the largest IDF keeps rare words meaningful.
    for (const [k, x] of f) {
      const w = this.idf.get(k);
      if (w !== undefined) v.set(k, x * w);
    }
    return l2normalize(v);
  }

  get intents(): IntentDef[] {
    return [...this.defs.values()];
  }

  action(intent: string): IntentAction {
    return this.defs.get(intent)?.action ?? "question";
  }

  classify(text: string): IntentGuess {
    const q = this.weigh(surfaceFeatures(text));
    // Class-balanced nearest examples: each intent scores the mean similarity of its K closest examples,
    // so the large "question" class (every FAQ phrasing) does not outvote small ones by sheer number.
    const per = new Map<string, { sims: number[]; nearest: string; best: number }>();
    for (const e of this.examples) {
      const s = dot(q, e.vec);
      const v = per.get(e.intent) ?? { sims: [], nearest: "", best: -1 };
      v.sims.push(s);
      if (s > v.best) {
        v.best = s;
        v.nearest = e.text;
      }
      per.set(e.intent, v);
    }
    const scored = [...per].map(([intent, v]) => {
      const top = v.sims.sort((a, b) => b - a).slice(0, K);
      return { intent, score: top.reduce((a, b) => a + b, 0) / Math.max(1, top.length), best: v.best, nearest: v.nearest };
    }).sort((a, b) => b.score - a.score);
    const total = scored.reduce((a, x) => a + Math.max(0, x.score), 0);
    const win = scored[0];
    const def = this.defs.get(win.intent);
    const min = def?.min_similarity ?? DEFAULT_MIN_SIMILARITY;
    if (win.intent !== "question" && win.best < min) {
      const qv = scored.find((x) => x.intent === "question");
      return { intent: "question", action: "question", share: total && qv ? qv.score / total : 0, similarity: qv?.best ?? 0, nearest: qv?.nearest ?? "" };
    }
    return { intent: win.intent, action: def?.action ?? "question", share: total ? win.score / total : 0, similarity: win.best, nearest: win.nearest };
  }
}
