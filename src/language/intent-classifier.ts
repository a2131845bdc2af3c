import { dot, l2normalize, surfaceFeatures, type Sparse } from "./features.js";
import { SoftmaxModel } from "./softmax.js";
import { languageRegex } from "./regex.js";
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
  /**
   * A pattern the message must contain for the intent to count (lower case, Unicode word boundaries): the
   * classifier's similarity alone declined real questions ("… was war der letzte Abgabetag?" as other users' data).
   */
  requires?: string;
}

export interface IntentGuess {
  intent: string;
  action: IntentAction;
  /** Probability of the chosen intent (0..1). */
  share: number;
  /** Probability of the chosen intent; compared with the intent's `min_similarity`. */
  similarity: number;
  /** The closest example of the chosen intent (explains the decision). */
  nearest: string;
  /** Probability of every intent. */
  probabilities: Record<string, number>;
}

interface Example {
  intent: string;
  text: string;
  vec: Sparse;
}

const trained = new Map<string, SoftmaxModel>();

/**
 * Training takes seconds at every start; the result depends only on the examples (the key is their hash),
 * so it is kept in the system's temp folder and read back by the next process. A missing or broken file
 * just means training again.
 */
const cacheFile = (key: string) => join(tmpdir(), `ortslotse-intents-${key.slice(0, 32)}`);
function readCachedModel(key: string): SoftmaxModel | undefined {
  try {
    const head = JSON.parse(readFileSync(`${cacheFile(key)}.json`, "utf8")) as { key: string; classes: string[]; features: string[]; bias: number[] };
    if (head.key !== key) return undefined;
    const buf = readFileSync(`${cacheFile(key)}.bin`);
    const weights = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    return SoftmaxModel.restore({ ...head, weights });
  } catch {
    return undefined;
  }
}
function writeCachedModel(key: string, model: SoftmaxModel): void {
  try {
    const d = model.dump();
    const tmp = `${cacheFile(key)}.${process.pid}.tmp`;
    writeFileSync(`${tmp}.bin`, Buffer.from(d.weights.buffer, d.weights.byteOffset, d.weights.byteLength));
    writeFileSync(`${tmp}.json`, JSON.stringify({ key, classes: d.classes, features: d.features, bias: d.bias }));
    // The weights first, then the header that names them: a reader never sees a header without its weights.
    renameSync(`${tmp}.bin`, `${cacheFile(key)}.bin`);
    renameSync(`${tmp}.json`, `${cacheFile(key)}.json`);
  } catch {
    // A read-only temp folder only costs the next start the training time.
  }
}
const DEFAULT_MIN_SIMILARITY = 0.35;

/**
 * Intent classifier over the example files: multinomial logistic regression on surface features (words,
 * word pairs, character n-grams), classes weighted so the large "question" class (every FAQ phrasing)
 * does not drown small ones. The nearest example is kept to explain each decision to staff.
 */
export class IntentClassifier {
  private examples: Example[] = [];
  /**
   * Per feature its IDF and, once trained, its class weights: a message's features are looked up once each
   * (IDF and weights in separate maps, and a weighted copy of the message's vector, were half the time of
   * classifying).
   */
  private lookup = new Map<string, { idf: number; w: Float64Array | undefined }>();
  private defs = new Map<string, IntentDef>();
  private requires = new Map<string, RegExp>();
  private model: SoftmaxModel;
  private classes: string[];

  constructor(defs: IntentDef[], extraQuestions: string[] = []) {
    for (const d of defs) this.defs.set(d.intent, d);
    for (const d of defs) if (d.requires) this.requires.set(d.intent, languageRegex(d.requires));
    if (!this.defs.has("question")) this.defs.set("question", { intent: "question", action: "question", examples: [] });
    const raw: { intent: string; text: string; f: Sparse }[] = [];
    for (const d of this.defs.values()) for (const t of d.examples) raw.push({ intent: d.intent, text: t, f: surfaceFeatures(t) });
    for (const t of extraQuestions) raw.push({ intent: "question", text: t, f: surfaceFeatures(t) });
    const df = new Map<string, number>();
    for (const r of raw) for (const k of r.f.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const n = raw.length;
    for (const [k, c] of df) this.lookup.set(k, { idf: Math.log(1 + n / (1 + c)), w: undefined });
    this.examples = raw.map((r) => ({ intent: r.intent, text: r.text, vec: this.weigh(r.f) }));
    this.classes = [...this.defs.keys()];
    const count = new Map<string, number>();
    for (const r of raw) count.set(r.intent, (count.get(r.intent) ?? 0) + 1);
    // Trained once per set of examples and process (every core in a test run shares it).
    const key = createHash("sha256").update(JSON.stringify([this.classes, raw.map((r) => [r.intent, r.text])])).digest("hex");
    let model = trained.get(key) ?? readCachedModel(key);
    if (!model) {
      model = SoftmaxModel.train(
        this.classes,
        this.examples.map((e) => ({ x: e.vec, y: this.classes.indexOf(e.intent), weight: n / (this.classes.length * count.get(e.intent)!) })),
      );
      writeCachedModel(key, model);
    }
    trained.set(key, model);
    this.model = model;
    for (const [k, r] of this.lookup) r.w = model.weightsOf(k);
  }

  private weigh(f: Sparse): Sparse {
    const v: Sparse = new Map();
    // Features no example has carry no evidence either way.
    for (const [k, x] of f) {
      const r = this.lookup.get(k);
      if (r !== undefined) v.set(k, x * r.idf);
    }
    return l2normalize(v);
  }

  get intents(): IntentDef[] {
    return [...this.defs.values()];
  }

  action(intent: string): IntentAction {
    return this.defs.get(intent)?.action ?? "question";
  }

  /**
   * The model's probabilities for a message's features: the same arithmetic in the same order as
   * `model.probabilities(weigh(f))` (IDF weight, unit length, class scores), without the weighted copy.
   */
  private probabilitiesOf(f: Sparse): number[] {
    const rows: (Float64Array | undefined)[] = [];
    const values: number[] = [];
    let norm = 0;
    for (const [k, x] of f) {
      const r = this.lookup.get(k);
      if (r === undefined) continue;
      const v = x * r.idf;
      rows.push(r.w);
      values.push(v);
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    const z = Float64Array.from(this.model.bias);
    for (let i = 0; i < rows.length; i++) {
      const w = rows[i];
      if (!w) continue;
      const v = values[i] / norm;
      for (let c = 0; c < z.length; c++) z[c] += w[c] * v;
    }
    return SoftmaxModel.softmax(z);
  }

  /** The most probable intent; one below its `min_similarity` (a probability here) falls back to "question". */
  classify(text: string): IntentGuess {
    const p = this.probabilitiesOf(surfaceFeatures(text));
    let best = 0;
    p.forEach((v, i) => {
      if (v > p[best]) best = i;
    });
    const nearestOf = (intent: string) => {
      const q = this.weigh(surfaceFeatures(text));
      let top = { s: -1, text: "" };
      for (const e of this.examples) if (e.intent === intent) {
        const s = dot(q, e.vec);
        if (s > top.s) top = { s, text: e.text };
      }
      return top.text;
    };
    const intent = this.classes[best];
    const def = this.defs.get(intent);
    const probabilities = Object.fromEntries(this.classes.map((c, i) => [c, p[i]]));
    const qi = this.classes.indexOf("question");
    const required = this.requires.get(intent);
    if (intent !== "question" && (p[best] < (def?.min_similarity ?? DEFAULT_MIN_SIMILARITY) || (required && !required.test(text.toLowerCase())))) {
      return { intent: "question", action: "question", share: p[qi], similarity: p[qi], get nearest() { return nearestOf("question"); }, probabilities };
    }
    // The nearest example is looked up only when someone reads it: against every "question" example it was
    // a quarter of the CPU per message.
    return { intent, action: def?.action ?? "question", share: p[best], similarity: p[best], get nearest() { return nearestOf(intent); }, probabilities };
  }
}
