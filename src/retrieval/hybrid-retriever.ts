import hnswlib from "hnswlib-node";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Embedder } from "./embedder.js";
import { Projection } from "./projection.js";
import { indexPaths, type Manifest } from "./index-files.js";
import { ChunkStore } from "./chunk-store.js";
import type { Chunk } from "./knowledge-types.js";
import { LexicalIndex, passageTerms } from "./lexical-index.js";
import type { LexicalEngine } from "./bm25-index.js";
import { foldUmlauts, terms, words } from "./german-text.js";
import { groupStems, SYNONYM_WEIGHT, synonymGroup, synonymsOf } from "./synonyms.js";
import { editDistance } from "./edit-distance.js";
import type { DocSummary } from "./build-index.js";

export interface Hit {
  chunk: Chunk;
  score: number;
  vectorSim: number;
  lexicalScore: number;
  /** Share of the question's content (IDF-weighted) that this passage contains. */
  coverage: number;
}

export interface SearchResult {
  hits: Hit[];
  queryTerms: string[];
  unknownTerms: string[];
}

const RRF_K = 20;
/** Passages whose terms are kept (about 1 MB per 1,000 with typical section lengths). */
const TERM_CACHE_SIZE = 20_000;
/** efSearch the core sets after loading; the benchmark measures recall with this value. */
export const EF_SEARCH = 480;


/**
 * The vector graph in HNSWLib's file layout, read by hnswlib itself: the search needs no docstore (a second
 * copy of every passage, several hundred MB at 100k passages). Labels are chunk positions, so the chunk store
 * is all it needs besides the vectors. `read` replaces how the graph is read (the bench's previous way).
 */
async function readVectors(hnswDir: string, read?: (hnswDir: string) => Promise<hnswlib.HierarchicalNSW>): Promise<hnswlib.HierarchicalNSW> {
  let vectors: hnswlib.HierarchicalNSW;
  if (read) vectors = await read(hnswDir);
  else {
    const args = JSON.parse(await readFile(join(hnswDir, "args.json"), "utf8")) as { space: hnswlib.SpaceName; numDimensions: number };
    vectors = new hnswlib.HierarchicalNSW(args.space, args.numDimensions);
    await vectors.readIndex(join(hnswDir, "hnswlib.index"));
  }
  // hnswlib does not store efSearch with the index (default 10): at 100k chunks that gives recall@10
  // of 0.59. On 256 dimensions (graph built at efConstruction 100) 320 is the first to reach 0.98 and 480 keeps
  // a margin (0.989; 640: 0.994 for 0.24 ms more at p95; npm run bench). Small indexes are searched exhaustively
  // either way.
  vectors.setEf(EF_SEARCH);
  return vectors;
}

/** From this many terms a set's long words are searched as one string (see longTerms). */
const LONG_SET = 16;
/** How well an unknown compound matches when its known parts do: partly, since the parts may mean something else. */
const COMPOUND_MATCH = 0.6;

/** A fused search result before its text is compared with the question. */
interface Candidate {
  chunk: Chunk;
  e: { rrf: number; sim: number; lex: number };
  /** FAQ items rank slightly before newsletter passages. */
  kind: number;
  generic: number;
  order: number;
  /** Overlap with the item's own phrasings (`phrasingMatch`). */
  phrasing: number;
  /** The highest score the candidate can reach. */
  bound: number;
}

/** Vector (hnswlib) + lexical (BM25) search fused by reciprocal rank. */
export class HybridRetriever {
  private labelOf: Map<string, number>;
  private termCache = new Map<string, Set<string>>();
  private phrasingCache = new Map<string, Set<string>[]>();

  private constructor(
    private vectors: hnswlib.HierarchicalNSW | undefined,
    private lexical: LexicalIndex,
    readonly chunks: Chunk[],
    readonly manifest: Manifest,
    private embedder: Embedder,
    private store: ChunkStore,
    private projection?: Projection,
  ) {
    this.labelOf = new Map(store.ids.map((id, i) => [id, i]));
  }

  /**
   * Loads the index from DATA_DIR. `engines` replace how the vectors are read or what ranks the lexical side
   * (only the benchmark does that, to measure the previous way on the same index).
   */
  static async load(dataDir: string, embedder: Embedder, engines: {
    vectors?: (hnswDir: string) => Promise<hnswlib.HierarchicalNSW>;
    lexical?: (chunks: Chunk[], dataDir: string) => Promise<LexicalEngine>;
  } = {}): Promise<HybridRetriever> {
    const p = indexPaths(dataDir);
    // hnswlib reads its file on a worker thread: started first, it loads while the rest (the manifest too,
    // 4 MB at 100k passages) is parsed here. An empty index has no graph file.
    const vectorsRead = existsSync(join(p.hnsw, "hnswlib.index")) ? readVectors(p.hnsw, engines.vectors) : undefined;
    const manifest = JSON.parse(await readFile(p.manifest, "utf8")) as Manifest;
    // A failed read is thrown where it is awaited below; this only keeps it from counting as unhandled when
    // loading stops earlier (a broken chunk file).
    vectorsRead?.catch(() => undefined);
    const store = new ChunkStore(p.chunks);
    const chunks = store.chunks;
    let lexical = LexicalIndex.fromBuffer(await readFile(p.lexical));
    if (engines.lexical) lexical = lexical.withEngine(await engines.lexical(chunks, dataDir));
    const projection = existsSync(p.projection) ? Projection.fromBuffer(await readFile(p.projection)) : undefined;
    const vectors = chunks.length ? await vectorsRead : undefined;
    return new HybridRetriever(vectors, lexical, chunks, manifest, embedder, store, projection);
  }

  private docList?: DocSummary[];

  /** The entry summaries, read from the index file on first use (no question needs them). */
  get docs(): DocSummary[] {
    return (this.docList ??= this.store.docs());
  }

  get size(): number {
    return this.chunks.length;
  }

  private idOf(label: number): string {
    return this.store.ids[label];
  }

  /**
   * The entry a passage comes from in the version indexed now ("faq-dorfladen@3f2a…", the file's content hash):
   * what the labelled examples say about an entry holds for the text they were labelled on, not for an edit.
   */
  entryVersion(chunk: Chunk): string {
    const hash = this.manifest.files[chunk.meta.file]?.hash ?? "";
    return `${chunk.meta.docId}@${hash.slice(0, 12)}`;
  }

  private entryLabels?: Map<string, number[]>;

  /** An entry as indexed now: its version and its passages' reader texts (read on call). */
  entryNow(docId: string): { version: string; texts(): string[] } | undefined {
    if (!this.entryLabels) {
      this.entryLabels = new Map();
      this.chunks.forEach((c, label) => {
        const list = this.entryLabels!.get(c.meta.docId);
        if (list) list.push(label);
        else this.entryLabels!.set(c.meta.docId, [label]);
      });
    }
    const labels = this.entryLabels.get(docId);
    if (!labels) return undefined;
    return { version: this.entryVersion(this.chunks[labels[0]]), texts: () => labels.map((l) => this.chunks[l].text) };
  }

  /** The passage with this id, if the index has it. */
  chunk(chunkId: string): Chunk | undefined {
    const label = this.labelOf.get(chunkId);
    return label === undefined ? undefined : this.chunks[label];
  }

  /** The passages of one newsletter issue (read from the index file, not by walking every passage). */
  newsletterIssue(issue: number): Chunk[] {
    return this.store.labels("newsletter", issue).map((l) => this.chunks[l]);
  }

  /** Every entry id the passages come from. */
  docIds(): Set<string> {
    return this.store.docIds();
  }

  /** The FAQ entries' own questions and alternatives. */
  faqPhrasings(): { docId: string; phrasings: string[] }[] {
    return this.store.faqPhrasings();
  }

  /** How well a question term is matched by a set of passage terms (1 exact … 0 absent). */
  termMatches(t: string, have: Set<string>, compounds?: Map<string, string[]>): number {
    if (have.has(t)) return 1;
    const split = compounds?.get(t);
    if (split && split.every((x) => have.has(x))) return COMPOUND_MATCH;
    const g = synonymGroup(t);
    if (g !== undefined && groupStems(g).some((x) => have.has(x))) return 0.9;
    if (t.length >= 5) {
      // A longer word containing this one, or a shorter one (five letters or more) this one starts with.
      if (have.size > LONG_SET) {
        if (this.longTerms(have).includes(t)) return 0.7;
        for (let k = 5; k < t.length; k++) if (have.has(t.slice(0, k))) return 0.7;
      } else for (const h of have) if (h.length >= 5 && (h.startsWith(t) || t.startsWith(h) || h.includes(t))) return 0.7;
    }
    // A typo ("interkomunal") still counts when the passage has the word one or two edits away.
    if (t.length >= 6 && !this.lexical.has(t)) {
      const maxEdits = t.length > 9 ? 2 : 1;
      for (const h of have) if (Math.abs(h.length - t.length) <= maxEdits && h[0] === t[0] && editDistance(t, h, maxEdits) <= maxEdits) return 0.8;
    }
    return 0;
  }

  private longTermText = new WeakMap<Set<string>, string>();

  /**
   * A passage's terms of five letters or more in one string, one per line: a term missing from the passage
   * is looked for inside its longer words with one substring search instead of a loop over all of them
   * (a term has no line break, so a hit lies inside one word).
   */
  private longTerms(have: Set<string>): string {
    let text = this.longTermText.get(have);
    if (text === undefined) {
      text = "";
      for (const h of have) if (h.length >= 5) text += `${h}\n`;
      this.longTermText.set(have, text);
    }
    return text;
  }

  /** Inverse document frequency of a stemmed term in the knowledge (unknown terms: the largest). */
  idf(term: string): number {
    return this.lexical.idf(term);
  }

  /** Whether the knowledge uses exactly this stemmed term (a map lookup: asked for every spelling candidate). */
  knowsTerm(t: string): boolean {
    return this.lexical.has(t);
  }

  /** The known parts of an unknown compound (see LexicalIndex.decompound). */
  compoundParts(t: string): string[] | undefined {
    return this.lexical.decompound(t);
  }

  /** A term the knowledge has not seen that splits into known ones and is no typo of a known one ("feuerwehrrent"). */
  isNewCompound(t: string): boolean {
    return !this.lexical.has(t) && this.lexical.decompound(t) !== undefined && this.vocabularyMatch(t) === COMPOUND_MATCH;
  }

  /** Every stemmed term the knowledge uses. */
  terms(): Iterable<string> {
    return this.lexical.terms();
  }

  /**
   * How well the knowledge as a whole knows a term: 1 known, 0.6–0.9 through a compound split, a synonym,
   * a longer word or a typo, 0 never seen ("GEMA", "Sehtest" in a knowledge base without them).
   */
  vocabularyMatch(t: string): number {
    if (this.lexical.has(t)) return 1;
    // An unknown word is compared with the whole vocabulary (typos, prefixes): once per word, not once per
    // candidate passage and feature — the vocabulary of this index does not change.
    let v = this.vocabularyCache.get(t);
    if (v === undefined) {
      v = this.vocabularyMatchUncached(t);
      if (this.vocabularyCache.size >= TERM_CACHE_SIZE) this.vocabularyCache.delete(this.vocabularyCache.keys().next().value!);
      this.vocabularyCache.set(t, v);
    }
    return v;
  }

  private vocabularyCache = new Map<string, number>();

  private vocabularyMatchUncached(t: string): number {
    if (/^[\d_]+$/.test(t)) return 0;
    let best = this.lexical.decompound(t) ? COMPOUND_MATCH : 0;
    const g = synonymGroup(t);
    if (g !== undefined && groupStems(g).some((x) => this.lexical.has(x))) best = Math.max(best, 0.9);
    if (best < 0.8 && t.length >= 6) {
      const maxEdits = t.length > 9 ? 2 : 1;
      for (const h of this.lexical.terms()) {
        if (Math.abs(h.length - t.length) <= maxEdits && h[0] === t[0] && editDistance(t, h, maxEdits) <= maxEdits) return 0.8;
      }
    }
    if (best < 0.7 && t.length >= 5) for (const h of this.lexical.terms()) if (h.length >= 5 && h.startsWith(t)) return 0.7;
    return best;
  }

  /** IDF-weighted share of `needles` found in `have` (synonym- and compound-aware). */
  private weightedShare(needles: string[], have: Set<string>, compounds?: Map<string, string[]>): number {
    let total = 0;
    let got = 0;
    for (let i = 0; i < needles.length; i++) {
      const t = needles[i];
      // Each term once, in the order of its first occurrence (as a Set would give them, without one per passage).
      if (needles.indexOf(t) !== i) continue;
      // Numbers the knowledge never mentions (phone numbers, house numbers) say nothing about the topic.
      if (/^[\d_]+$/.test(t) && !this.lexical.has(t)) continue;
      const w = this.lexical.idf(t);
      total += w;
      got += w * this.termMatches(t, have, compounds);
    }
    return total ? got / total : 0;
  }

  /** How much of the question the passage contains. */
  coverage(queryTerms: string[], chunk: Chunk, compounds?: Map<string, string[]>): number {
    if (!queryTerms.length) return 0;
    return this.weightedShare(queryTerms, this.termsOf(chunk), compounds);
  }

  /**
   * A passage's stemmed terms, kept for the passages asked about most recently: every question scores up
   * to 40 candidates, and tokenising and stemming them again each time was a third of the CPU per question.
   */
  termsOf(chunk: Chunk): Set<string> {
    const id = chunk.meta.chunkId;
    let set = this.termCache.get(id);
    if (!set) {
      set = new Set(chunk.storedTerms ?? passageTerms(chunk));
      if (this.termCache.size >= TERM_CACHE_SIZE) this.termCache.delete(this.termCache.keys().next().value!);
      this.termCache.set(id, set);
    }
    return set;
  }

  /**
   * How much of the item's own question the mayor's message contains. A long message with context
   * ("we plan with two neighbour villages…") still clearly asks an FAQ's question when it contains it whole.
   */
  reverseCoverage(queryTerms: string[], chunk: Chunk): number {
    // The question's terms as a set, made once per question: every candidate passage is compared with them.
    if (this.lastQuery?.terms !== queryTerms) this.lastQuery = { terms: queryTerms, set: new Set(queryTerms) };
    const q = this.lastQuery.set;
    let best = 0;
    for (const pt of this.phrasingTermsOf(chunk)) {
      if (!pt.length) continue;
      // One- or two-word phrasings ("Was ist LEADER?") prove little on their own.
      const strength = Math.min(1, pt.length / 3) * (chunk.meta.kind === "faq" ? 1 : 0.8);
      best = Math.max(best, this.weightedShare(pt, q) * strength);
    }
    return best;
  }

  /** The terms a passage is about: its own question and phrasings (an FAQ entry) or its heading (a newsletter section). */
  aboutTerms(chunk: Chunk): Set<string> {
    return new Set(this.phrasingTermsOf(chunk).flat());
  }

  /** Each of a passage's own phrasings as stemmed terms, kept like its terms (asked for every candidate). */
  private phrasingTermsOf(chunk: Chunk): string[][] {
    const id = chunk.meta.chunkId;
    let list = this.phrasingTermCache.get(id);
    if (!list) {
      list = chunk.storedPhrasings?.map((p) => p.terms) ?? (chunk.meta.phrasings ?? []).map((p) => terms(p));
      if (this.phrasingTermCache.size >= TERM_CACHE_SIZE) this.phrasingTermCache.delete(this.phrasingTermCache.keys().next().value!);
      this.phrasingTermCache.set(id, list);
    }
    return list;
  }

  private phrasingTermCache = new Map<string, string[][]>();
  private lastQuery?: { terms: string[]; set: Set<string> };

  /** `scoreAll`: score every candidate, without stopping early (the reference a test compares with). */
  async search(rawQuery: string, k = 6, opts: { scoreAll?: boolean } = {}): Promise<SearchResult> {
    // Unknown compounds are searched by their known parts as well ("Lottomitteln" → Lotto, Mittel);
    // for confidence such a compound counts only partly, since its parts may mean something else.
    const parts: string[] = [];
    const queryTerms = terms(rawQuery);
    const compounds = new Map<string, string[]>();
    for (const t of queryTerms) {
      const split = this.lexical.decompound(t);
      if (split) {
        parts.push(...split);
        compounds.set(t, split);
      }
    }
    const query = parts.length ? `${rawQuery} ${parts.join(" ")}` : rawQuery;
    const unknownTerms = queryTerms.filter((t) => !this.lexical.has(t));
    if (!this.chunks.length || !queryTerms.length) return { hits: [], queryTerms, unknownTerms };
    const pool = Math.max(20, k * 3);
    const full = await this.embedder.embedQuery(query);
    // In a reduced index the cosine found is scaled back by the share of the question inside the passages'
    // directions: the similarity the confidence reads stays the embedder's own (within ≈ 0.005 on the shipped
    // knowledge) instead of rising with how few passages an index has.
    const reduced = this.projection?.reduce(full);
    const qv = reduced ? Array.from(reduced.unit) : full;
    const scale = reduced ? reduced.norm : 1;
    const knn = this.vectors?.searchKnn(qv, Math.min(pool, this.vectors.getCurrentCount()));
    const vec = knn ? knn.neighbors.map((label, i) => [label, knn.distances[i]] as const) : [];
    const lex = this.lexicalSearch(query, pool);

    const fused = new Map<string, { rrf: number; sim: number; lex: number }>();
    vec.forEach(([label, distance], rank) => {
      const id = this.idOf(label);
      fused.set(id, { rrf: 1 / (RRF_K + rank + 1), sim: (1 - distance) * scale, lex: 0 });
    });
    lex.forEach((r, rank) => {
      const e = fused.get(r.chunkId) ?? { rrf: 0, sim: NaN, lex: 0 };
      e.rrf += 1 / (RRF_K + rank + 1);
      e.lex = r.score;
      fused.set(r.chunkId, e);
    });

    this.store.prefetch([...fused.keys()].map((id) => this.labelOf.get(id)).filter((l): l is number => l !== undefined));
    const candidates: Candidate[] = [];
    for (const [id, e] of fused) {
      const chunk = this.chunk(id);
      if (!chunk) continue;
      // A newsletter's contact box matches many questions and answers none.
      const generic = chunk.meta.kind === "newsletter" && /^kontakt\b/i.test(chunk.meta.section) ? 0.5 : 1;
      candidates.push({ chunk, e, kind: chunk.meta.kind === "faq" ? 1.1 : 1, generic, order: candidates.length, phrasing: 0, bound: 0 });
    }
    const older = this.olderOnSameProgramme(candidates);
    const queryWords = new Set(words(query).map(foldUmlauts));
    // Coverage is at most 1: the score with coverage 1 bounds the final score (the same products in the same
    // order, so the bound holds in floating point too). The phrasing match is cheap and is computed first.
    for (const c of candidates) {
      c.phrasing = this.phrasingMatch(queryWords, c.chunk);
      c.bound = c.e.rrf * (0.6 + 1) * c.kind * c.generic * (1 + c.phrasing) * (older.has(c) ? 0.7 : 1);
    }
    // Only the k best are returned. Comparing the question's terms with a passage is most of a search's work,
    // so candidates are scored best bound first, and scoring stops once k scores beat every bound left: the
    // same hits and scores as scoring all of them.
    const byBound = [...candidates].sort((a, b) => b.bound - a.bound);
    const scored: { hit: Hit; raw: number; order: number }[] = [];
    let kth = -Infinity;
    for (const c of byBound) {
      if (scored.length >= k && kth > c.bound * (1 + 1e-9) && !opts.scoreAll) break;
      const coverage = Math.max(this.coverage(queryTerms, c.chunk, compounds), this.reverseCoverage(queryTerms, c.chunk));
      // RRF orders; coverage rewards passages that contain the whole question, not one lucky word.
      const raw = c.e.rrf * (0.6 + coverage) * c.kind * c.generic * (1 + c.phrasing);
      const score = older.has(c) ? raw * 0.7 : raw;
      // A lexical-only hit's similarity is read back from hnswlib below, only for the hits returned.
      scored.push({ hit: { chunk: c.chunk, score, vectorSim: c.e.sim, lexicalScore: c.e.lex, coverage }, raw, order: c.order });
      if (scored.length >= k) kth = scored.map((x) => x.hit.score).sort((a, b) => b - a)[k - 1];
    }
    // The order scoring all candidates gave: by score; ties as a stable sort by the score before the
    // newer-item rule, then by how the candidate came in.
    scored.sort((a, b) => b.hit.score - a.hit.score || b.raw - a.raw || a.order - b.order);
    const hits = scored.slice(0, k).map((x) => x.hit);
    for (const h of hits) if (Number.isNaN(h.vectorSim)) h.vectorSim = this.cosine(qv, h.chunk.meta.chunkId) * scale;
    // Whether a hit answers is decided in the core (answerability and the calibrated model), not here.
    return { hits, queryTerms, unknownTerms };
  }

  /**
   * Overlap of all words (function words included) between the message and the item's own
   * phrasings: "Was bekommt man beim Brückenpreis?" should prefer the FAQ asked exactly that way over
   * its siblings on the same programme, which content words alone cannot tell apart. `q`: the message's words,
   * umlauts folded (made once per search).
   */
  phrasingMatch(q: Set<string>, chunk: Chunk): number {
    if (!q.size) return 0;
    let best = 0;
    for (const w of this.phrasingWords(chunk)) {
      let both = 0;
      for (const x of q) if (w.has(x)) both++;
      // Share of the message's words found in the phrasing, damped when the phrasing is much longer.
      best = Math.max(best, (both / q.size) * Math.min(1, (2 * q.size) / w.size));
    }
    return best;
  }

  /** Each own phrasing's words (umlauts folded), kept per passage like its terms: every search looks at them. */
  private phrasingWords(chunk: Chunk): Set<string>[] {
    const id = chunk.meta.chunkId;
    let sets = this.phrasingCache.get(id);
    if (!sets) {
      sets = chunk.storedPhrasings?.map((p) => new Set(p.words)) ?? (chunk.meta.phrasings ?? []).map((p) => new Set(words(p).map(foldUmlauts)));
      if (this.phrasingCache.size >= TERM_CACHE_SIZE) this.phrasingCache.delete(this.phrasingCache.keys().next().value!);
      this.phrasingCache.set(id, sets);
    }
    return sets;
  }

  /** BM25 on the question with its colloquial words' official synonyms in the same query ("Kohle" → "Förderung"). */
  private lexicalSearch(query: string, limit: number): { chunkId: string; score: number }[] {
    return this.lexical.search(query, limit, synonymsOf(query), SYNONYM_WEIGHT);
  }

  /** On the same programme, an older item ranks after the newest one (superseded figures, deadlines). */
  private olderOnSameProgramme<T extends { chunk: Chunk }>(items: T[]): Set<T> {
    const newest = new Map<string, string>();
    const dateOf = (c: Chunk) => c.meta.date ?? c.meta.stand ?? "";
    for (const { chunk } of items) {
      const p = chunk.meta.programme;
      if (p && dateOf(chunk) > (newest.get(p) ?? "")) newest.set(p, dateOf(chunk));
    }
    return new Set(items.filter(({ chunk }) => chunk.meta.programme && dateOf(chunk) < (newest.get(chunk.meta.programme) ?? "")));
  }

  /** The question's vector in the index's space (reduced with the index's own map, if it has one). */
  async queryVector(text: string): Promise<number[]> {
    const v = await this.embedder.embedQuery(text);
    return this.projection ? Array.from(this.projection.apply(v)) : v;
  }

  /** Vector of a lexical-only hit, read back from hnswlib (labels are chunk positions; no extra copy). */
  private cosine(qv: number[], id: string): number {
    const label = this.labelOf.get(id);
    if (label === undefined || !this.vectors) return 0;
    const v = this.vectors.getPoint(label);
    let s = 0;
    for (let i = 0; i < qv.length; i++) s += qv[i] * v[i];
    return s;
  }

}
