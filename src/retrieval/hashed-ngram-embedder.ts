import { foldUmlauts, STOPWORDS, STOPWORDS_FINGERPRINT, stem, words } from "./german-text.js";
import type { Embedder } from "./embedder.js";

/** 32-bit FNV-1a: fast, stable across runs and platforms (the index on disk depends on it). */
function fnv1a(s: string): number {
  return fnv1aFrom(0x811c9dc5, s, 0, s.length);
}

/** Continues an FNV-1a state over s[from, to): a feature's prefix is hashed once, its n-grams without substrings. */
function fnv1aFrom(state: number, s: string, from: number, to: number): number {
  let h = state;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** FNV-1a state after "g:", the prefix of every n-gram feature. */
const GRAM_STATE = fnv1aFrom(0x811c9dc5, "g:", 0, 2);

export interface HashedNgramOptions {
  dims?: number;
  /** Character n-gram sizes taken from each word (with boundary marks). */
  ngramSizes?: number[];
  /** Weight of the whole-word (stem) feature relative to all n-grams of that word together. */
  wordWeight?: number;
  /** Dimensions the index keeps (see Embedder.reduceTo); 0: all. */
  reduceTo?: number;
}

/**
 * Offline German embedder that needs no model download: each content word adds its stem and its
 * character n-grams to a signed hashed vector. N-grams make compounds ("Dorfmoderation" ~ "Moderation
 * im Dorf"), umlaut spellings and typos ("vorraussetzungen") land near each other; chosen over plain
 * word hashing by measuring recall@5 on the eval set (see README, "Offline-Embeddings").
 */
export class HashedNgramEmbedder implements Embedder {
  readonly dims: number;
  readonly ngramSizes: number[];
  readonly wordWeight: number;
  /** Bump the version whenever words() or stem() change: cached vectors are keyed by this id. */
  readonly id: string;
  /**
   * About 0.2 ms per passage: cheaper than writing and reading one cache file per vector (at 100k passages
   * the cache cost 30 s of a fresh build and saved nothing), so the index build embeds every passage anew.
   */
  readonly cacheable = false;
  /**
   * 256: at 100k passages the vectors take 102 instead of 405 MB and hnswlib answers in less than half the time;
   * on the labelled questions the answers stay as good (README, "Leistung" and "Auswertung").
   */
  readonly reduceTo?: number;

  constructor(opts: HashedNgramOptions = {}) {
    this.dims = opts.dims ?? 1024;
    this.ngramSizes = opts.ngramSizes ?? [3, 4, 5];
    this.wordWeight = opts.wordWeight ?? 1.0;
    const reduceTo = (opts.reduceTo ?? 256) < this.dims ? (opts.reduceTo ?? 256) : 0;
    if (reduceTo) this.reduceTo = reduceTo;
    // The stop word list shapes every vector: its fingerprint is part of the id, so editing
    // language/stopwords.txt rebuilds the index instead of mixing old and new vectors.
    this.id = `hashed-ngram-v4:d${this.dims}:n${this.ngramSizes.join("")}:w${this.wordWeight}:s${STOPWORDS_FINGERPRINT}${reduceTo ? `:r${reduceTo}` : ""}`;
  }

  embedText(text: string): number[] {
    const v = new Float64Array(this.dims);
    const addHash = (h: number, w: number) => {
      v[h % this.dims] += h & 0x80000000 ? -w : w;
    };
    const counts = new Map<string, number>();
    for (const w of words(text)) {
      if (STOPWORDS.has(w) || (w.length < 2 && !/\d|§|%/.test(w))) continue;
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    for (const [w, c] of counts) {
      // Sublinear term frequency: a word repeated five times is not five times as telling.
      const tf = 1 + Math.log(c);
      addHash(fnv1a("w:" + stem(w)), this.wordWeight * tf);
      const folded = `<${foldUmlauts(w)}>`;
      // Each n-gram hashed as the feature "g:" + gram, in the same order as before (the vectors on disk depend on it),
      // without a string per gram: a question's search embeds it on every query.
      let count = 0;
      for (const n of this.ngramSizes) count += Math.max(0, folded.length - n + 1);
      if (count) {
        const gw = tf / Math.sqrt(count);
        for (const n of this.ngramSizes) for (let i = 0; i + n <= folded.length; i++) addHash(fnv1aFrom(GRAM_STATE, folded, i, i + n), gw);
      }
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embedText(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embedText(document);
  }
}
