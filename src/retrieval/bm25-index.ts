import { editDistance } from "./edit-distance.js";

/**
 * BM25 over flat arrays, scoring exactly as MiniSearch 7 does (BM25+ with k 1.2, b 0.7, d 0.5; field
 * boosts; prefix and fuzzy expansions with MiniSearch's weights; the sum times the number of query terms
 * that matched), but with each (term, document) score computed once at build time. MiniSearch builds an
 * object for every matching document on every query and sorts them all: at 100k passages that cost
 * 300–700 ms per question, this index a few milliseconds. test/retrieval/bm25-index.test.ts keeps
 * MiniSearch as the reference and compares the top results.
 */

const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;

export interface Bm25Options {
  fields: string[];
  boost: Record<string, number>;
  tokenize: (text: string) => string[];
  processTerm: (term: string) => string | null;
}

export interface Bm25SearchOptions {
  /** Edit distance as a share of the term's length (MiniSearch's `fuzzy`), or false. */
  fuzzy: (term: string) => number | false;
  prefix: (term: string) => boolean;
  /** Weight of each query term with its expansions, by position (MiniSearch's `boostTerm`); 1 when absent. */
  boosts?: number[];
  /** Only the first this many query terms count in the quality factor (added synonyms do not); all when absent. */
  qualityTerms?: number;
}

/** Letters present in a word as 32 bits: one edit changes at most two, so a cheap filter before Levenshtein. */
function signature(term: string): number {
  let s = 0;
  for (let i = 0; i < term.length; i++) s |= 1 << (term.charCodeAt(i) % 32);
  return s;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** What the lexical side of the search needs from an engine (the flat index; MiniSearch as the bench's peer). */
export interface LexicalEngine {
  /** The `limit` best documents for processed (stemmed) query terms, best first. */
  search(queryTerms: string[], limit: number, opts: Bm25SearchOptions): { id: string; score: number }[];
}

export class Bm25Index implements LexicalEngine {
  private termIndex: Map<string, number>;
  private signatures: Int32Array;
  /** Term ids by word length: fuzzy candidates differ in length by at most the allowed edits. */
  private byLength: number[][] = [];
  /** Prefix and fuzzy expansions of recent query terms (the same words come back in most questions). */
  private expansions = new Map<string, { termId: number; weight: number }[]>();
  private scratch?: { score: Float64Array; quality: Uint16Array; lastSource: Int32Array; touched: Int32Array };

  private constructor(
    /** Document ids in index order. */
    readonly ids: string[],
    /** The vocabulary, sorted (prefix ranges by binary search). */
    private terms: string[],
    /** Postings of term i: docs[offsets[i] … offsets[i+1]) with their precomputed scores. */
    private offsets: Uint32Array,
    private docs: Uint32Array,
    private scores: Float64Array,
  ) {
    this.termIndex = new Map(terms.map((t, i) => [t, i]));
    this.signatures = Int32Array.from(terms, signature);
    terms.forEach((t, i) => (this.byLength[t.length] ??= []).push(i));
  }

  static build(documents: { id: string; fields: Record<string, string> }[], opts: Bm25Options): Bm25Index {
    const { fields } = opts;
    // term → per field: the documents that have it, in document order, and how often. Documents are read in order,
    // so a term seen again in the same document is always the last entry: arrays instead of a map per term and
    // field (at 100k passages the maps were half of this build).
    const postings = new Map<string, { docs: number[]; tf: number[] }[]>();
    const lengths = fields.map(() => new Float64Array(documents.length));
    const avg = fields.map(() => 0);
    documents.forEach((doc, d) => {
      fields.forEach((field, f) => {
        const tokens = opts.tokenize(doc.fields[field] ?? "");
        // MiniSearch: field length = distinct raw tokens; the average updated one document at a time.
        const length = new Set(tokens).size;
        lengths[f][d] = length;
        avg[f] = (avg[f] * d + length) / (d + 1);
        for (const token of tokens) {
          const term = opts.processTerm(token);
          if (!term) continue;
          let byField = postings.get(term);
          if (!byField) postings.set(term, (byField = fields.map(() => ({ docs: [], tf: [] }))));
          const p = byField[f];
          const last = p.docs.length - 1;
          if (last >= 0 && p.docs[last] === d) p.tf[last]++;
          else {
            p.docs.push(d);
            p.tf.push(1);
          }
        }
      });
    });
    const terms = [...postings.keys()].sort();
    // Per term: the documents of all fields, ascending (each field's list is ascending already).
    const merged = terms.map((term) => {
      const lists = postings.get(term)!.filter((p) => p.docs.length);
      if (lists.length === 1) return lists[0].docs;
      const all = new Set<number>();
      for (const p of lists) for (const d of p.docs) all.add(d);
      return [...all].sort((a, b) => a - b);
    });
    const offsets = new Uint32Array(terms.length + 1);
    let total = 0;
    for (let i = 0; i < terms.length; i++) {
      total += merged[i].length;
      offsets[i + 1] = total;
    }
    const docs = new Uint32Array(total);
    const scores = new Float64Array(total);
    const n = documents.length;
    terms.forEach((term, i) => {
      const byField = postings.get(term)!;
      const list = merged[i];
      const at = offsets[i];
      // Documents of one field only: their place in the merged list is their place in that field's list.
      const position = byField.filter((p) => p.docs.length).length === 1 ? undefined : new Map(list.map((d, k) => [d, k]));
      // Each document's score sums its fields in field order, as before.
      fields.forEach((field, f) => {
        const { docs: ds, tf: tfs } = byField[f];
        if (!ds.length) return;
        const idf = Math.log(1 + (n - ds.length + 0.5) / (ds.length + 0.5));
        const boost = opts.boost[field] ?? 1;
        for (let k = 0; k < ds.length; k++) {
          const d = ds[k];
          const tf = tfs[k];
          const raw = idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * lengths[f][d]) / avg[f])));
          scores[at + (position ? position.get(d)! : k)] += boost * raw;
        }
      });
      list.forEach((d, k) => (docs[at + k] = d));
    });
    return new Bm25Index(documents.map((d) => d.id), terms, offsets, docs, scores);
  }

  get size(): number {
    return this.ids.length;
  }

  has(term: string): boolean {
    return this.termIndex.has(term);
  }

  /** The `limit` best documents for the processed query terms, best first (`opts.boosts` weighs single terms). */
  search(queryTerms: string[], limit: number, opts: Bm25SearchOptions): { id: string; score: number }[] {
    const n = this.ids.length;
    if (!this.scratch || this.scratch.score.length !== n) {
      this.scratch = { score: new Float64Array(n), quality: new Uint16Array(n), lastSource: new Int32Array(n).fill(-1), touched: new Int32Array(n) };
    }
    const { score, quality, lastSource, touched } = this.scratch;
    const { offsets, docs, scores } = this;
    let touchedCount = 0;
    const sourceOf = new Map<string, number>();
    let countedSources = Infinity;
    // Each occurrence of a term adds its own boost (a term given twice, or as a word and a synonym, counts in
    // the sum for each) but the term counts once in the quality factor, as in MiniSearch.
    const boostOf = new Map<string, number>();
    queryTerms.forEach((term, i) => {
      if (i === opts.qualityTerms) countedSources = sourceOf.size;
      if (!sourceOf.has(term)) sourceOf.set(term, sourceOf.size);
      boostOf.set(term, (boostOf.get(term) ?? 0) + (opts.boosts?.[i] ?? 1));
    });
    const bySource = [...sourceOf.keys()];
    // Process query terms grouped by source so that lastSource only grows.
    for (let source = 0; source < bySource.length; source++) {
      const term = bySource[source];
      const boost = boostOf.get(term)!;
      const exact = this.termIndex.get(term);
      const lists = this.expand(term, exact, opts);
      const counted = source < countedSources;
      for (let l = exact === undefined ? 0 : -1; l < lists.length; l++) {
        const termId = l < 0 ? exact! : lists[l].termId;
        const weight = l < 0 ? boost : lists[l].weight * boost;
        // One tight loop per posting list (at 100k passages a common word has ~70k postings per question),
        // in this function rather than a closure: the counters stay local.
        const end = offsets[termId + 1];
        for (let p = offsets[termId]; p < end; p++) {
          const d = docs[p];
          const last = lastSource[d];
          if (last === -1) touched[touchedCount++] = d;
          score[d] += weight * scores[p];
          if (last !== source) {
            // Sources are visited in increasing order, so "not the last one" means "not seen for this doc yet".
            if (last < source && counted) quality[d]++;
            lastSource[d] = source;
          }
        }
      }
    }
    // Top `limit` without sorting every matching document.
    const top: { d: number; s: number }[] = [];
    let floor = -Infinity;
    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i];
      const s = score[d] * (quality[d] || 1);
      score[d] = 0;
      quality[d] = 0;
      lastSource[d] = -1;
      if (top.length < limit) {
        top.push({ d, s });
        if (top.length === limit) {
          top.sort((a, b) => b.s - a.s);
          floor = top[limit - 1].s;
        }
      } else if (s > floor) {
        let at = limit - 1;
        while (at > 0 && top[at - 1].s < s) at--;
        top.splice(at, 0, { d, s });
        top.pop();
        floor = top[limit - 1].s;
      }
    }
    if (top.length < limit) top.sort((a, b) => b.s - a.s);
    return top.map(({ d, s }) => ({ id: this.ids[d], score: s }));
  }

  /** The vocabulary's prefix and fuzzy matches of a query term with MiniSearch's weights (exact match excluded). */
  private expand(term: string, exact: number | undefined, opts: Bm25SearchOptions): { termId: number; weight: number }[] {
    const prefix = opts.prefix(term);
    const fuzzy = opts.fuzzy(term);
    const key = `${prefix ? 1 : 0}${fuzzy === false ? "" : fuzzy}:${term}`;
    const cached = this.expansions.get(key);
    if (cached) return cached;
    const out: { termId: number; weight: number }[] = [];
    const seen = new Set<number>(exact === undefined ? [] : [exact]);
    if (prefix) {
      for (let i = this.lowerBound(term); i < this.terms.length && this.terms[i].startsWith(term); i++) {
        if (seen.has(i)) continue;
        seen.add(i);
        const t = this.terms[i];
        out.push({ termId: i, weight: (PREFIX_WEIGHT * t.length) / (t.length + 0.3 * (t.length - term.length)) });
      }
    }
    if (fuzzy !== false) {
      const maxDistance = fuzzy < 1 ? Math.min(MAX_FUZZY, Math.round(term.length * fuzzy)) : fuzzy;
      const sig = signature(term);
      for (let len = Math.max(1, term.length - maxDistance); maxDistance && len <= term.length + maxDistance; len++) {
        for (const i of this.byLength[len] ?? []) {
          if (seen.has(i) || popcount(sig ^ this.signatures[i]) > 2 * maxDistance) continue;
          const t = this.terms[i];
          const distance = editDistance(term, t, maxDistance);
          if (distance === 0 || distance > maxDistance) continue;
          out.push({ termId: i, weight: (FUZZY_WEIGHT * t.length) / (t.length + distance) });
        }
      }
    }
    if (this.expansions.size >= 5000) this.expansions.delete(this.expansions.keys().next().value!);
    this.expansions.set(key, out);
    return out;
  }

  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.terms[mid] < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** One buffer: a small JSON header (ids, vocabulary) and the three arrays, loaded without parsing them. */
  serialize(): Buffer {
    const header = Buffer.from(JSON.stringify({ v: 1, ids: this.ids, terms: this.terms, postings: this.docs.length }), "utf8");
    const lengthField = Buffer.alloc(4);
    lengthField.writeUInt32LE(header.length);
    const pad = Buffer.alloc((8 - ((4 + header.length) % 8)) % 8);
    return Buffer.concat([lengthField, header, pad, Buffer.from(this.scores.buffer, this.scores.byteOffset, this.scores.byteLength),
      Buffer.from(this.offsets.buffer, this.offsets.byteOffset, this.offsets.byteLength), Buffer.from(this.docs.buffer, this.docs.byteOffset, this.docs.byteLength)]);
  }

  static deserialize(buf: Buffer): Bm25Index {
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString("utf8")) as { v: number; ids: string[]; terms: string[]; postings: number };
    if (header.v !== 1) throw new Error(`unknown BM25 index version ${header.v}`);
    let at = 4 + headerLength;
    at += (8 - (at % 8)) % 8;
    // Views on the file buffer where it is aligned (no second copy: at 100k passages 50 MB and 0.1-0.2 s of
    // fresh memory at load); copied where it is not (a small file from Node's shared buffer pool).
    const take = <T>(Typed: { new (b: ArrayBufferLike, offset?: number, length?: number): T; BYTES_PER_ELEMENT: number }, count: number): T => {
      const bytes = count * Typed.BYTES_PER_ELEMENT;
      const offset = buf.byteOffset + at;
      at += bytes;
      if (offset % Typed.BYTES_PER_ELEMENT === 0) return new Typed(buf.buffer, offset, count);
      return new Typed(Uint8Array.prototype.slice.call(buf, at - bytes, at).buffer);
    };
    const scores = take(Float64Array, header.postings);
    const offsets = take(Uint32Array, header.terms.length + 1);
    const docs = take(Uint32Array, header.postings);
    return new Bm25Index(header.ids, header.terms, offsets, docs, scores);
  }
}
