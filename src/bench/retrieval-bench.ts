import type { LabelledQuestion } from "./queries.js";
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync } from "node:fs";
import { join } from "node:path";
import hnswlib from "hnswlib-node";
import { buildIndex } from "../retrieval/build-index.js";
import { HashedNgramEmbedder } from "../retrieval/hashed-ngram-embedder.js";
import { Projection } from "../retrieval/projection.js";
import { HybridRetriever } from "../retrieval/hybrid-retriever.js";
import { indexPaths, type Manifest } from "../retrieval/index-files.js";
import { writeSyntheticKnowledge } from "./synthetic-corpus.js";
import { dirMb, fileMb, maxRssMb, settledRssMb } from "./memory.js";
import { summarize, timeEach, type LatencyStats } from "./stats.js";
import { EF_SEARCH } from "../retrieval/hybrid-retriever.js";

/** What the core searches with: HybridRetriever.search(question, 5) asks hnswlib for max(20, 3·5) neighbours. */
export const CORE_K = 5;
export const CORE_POOL = 20;
/** The efSearch the core sets after loading (hnswlib searches with max(ef, k)). */
export const CORE_EF = EF_SEARCH;
export const RECALL_TARGET = 0.98;
export const DEFAULT_EF_SWEEP = [10, 20, 40, 80, 160, 320, 480, 640, 1000];

// ---------------------------------------------------------------------------------------------
// Build: synthetic knowledge folder → buildIndex (the real ingest) into a DATA_DIR.

export interface SyntheticBuild {
  chunks: number;
  baseChunks: number;
  files: number;
  generateMs: number;
  buildMs: number;
  embedded: number;
  problems: number;
  indexMb: number;
  hnswMb: number;
  peakRssMb: number;
}

export async function buildSyntheticIndex(opts: { sourceDir: string; workDir: string; chunks: number; seed?: number }): Promise<SyntheticBuild> {
  const knowledgeDir = join(opts.workDir, "knowledge");
  const dataDir = join(opts.workDir, "data");
  mkdirSync(dataDir, { recursive: true });
  const corpus = await writeSyntheticKnowledge({ sourceDir: opts.sourceDir, outDir: knowledgeDir, chunks: opts.chunks, seed: opts.seed });
  const t = performance.now();
  const report = await buildIndex({ knowledgeDir, dataDir, embedder: new HashedNgramEmbedder() });
  const buildMs = performance.now() - t;
  const p = indexPaths(dataDir);
  return {
    chunks: report.chunks, baseChunks: corpus.baseChunks, files: corpus.files, generateMs: corpus.ms, buildMs,
    embedded: report.embedded, problems: report.problems.length, indexMb: dirMb(p.dir), hnswMb: fileMb(join(p.hnsw, "hnswlib.index")),
    peakRssMb: maxRssMb(),
  };
}

// ---------------------------------------------------------------------------------------------
// Hybrid: the core's HybridRetriever, loaded from DATA_DIR the way createCore loads it.

export interface HybridResult {
  chunks: number;
  /** Other questions searched before the measured ones (JIT warm; see measureHybrid). */
  warmupQueries: number;
  loadMs: number;
  /** RSS growth from loading the whole index (hnswlib + langchain docstore + chunks + BM25), after GC. */
  indexRssMb: number;
  /** RSS of the search process before loading (Node, tsx and the retrieval modules). */
  rssBeforeMb: number;
  rssAfterLoadMb: number;
  /** Peak RSS of this serving process (load + all searches). */
  peakRssMb: number;
  search: LatencyStats;
  /** Share of the labelled questions with an expected source in the top 5 (undefined: none given). */
  sourceRecall5?: number;
  labelled: number;
  /** Parts of one search, measured separately on the same questions (p50/p95 each). */
  parts: { embedQuery: LatencyStats; vector: LatencyStats; lexical: LatencyStats };
}

/** The retriever's parts, reached past TypeScript's `private` for the breakdown only. */
interface RetrieverInternals {
  vectors?: hnswlib.HierarchicalNSW;
  lexicalSearch(query: string, limit: number): { chunkId: string; score: number }[];
}

/** "embedded": the core's way; "peer": MiniSearch + langchain HNSWLib on the same index (see peer.ts). */
export type SearchPath = "embedded" | "peer";

/**
 * Hybrid search as the core runs it. Before the measured queries the process answers `warmupQueries` (other
 * questions): V8 optimises the search code after a few hundred calls, and a server meets most questions with
 * optimised code; each measured query is still searched for the first time.
 */
export async function measureHybrid(opts: { dataDir: string; queries: string[]; warmupQueries?: string[]; path?: SearchPath; labelled?: LabelledQuestion[] }): Promise<HybridResult> {
  const embedder = new HashedNgramEmbedder();
  const before = settledRssMb();
  const t = performance.now();
  const retriever = opts.path === "peer" ? await (await import("./peer.js")).loadPeer(opts.dataDir, embedder) : await HybridRetriever.load(opts.dataDir, embedder);
  const loadMs = performance.now() - t;
  const after = settledRssMb();
  const { queries } = opts;
  const warmup = opts.warmupQueries?.length ? opts.warmupQueries : queries.slice(0, 10);
  for (const q of warmup) await retriever.search(q, CORE_K);
  const search = summarize(await timeEach(queries, (q) => retriever.search(q, CORE_K)));
  const peakRssMb = maxRssMb();
  // Share of answerable questions whose expected entry is among the first five hits: the synthetic corpus
  // keeps the real entries under their ids, so this tells whether the added passages push the answer out.
  // Only questions whose entries are in this knowledge count (the public set does not fit a test fixture).
  const known = new Set(retriever.docs.map((d) => d.id));
  const labelled = (opts.labelled ?? []).filter((l) => l.sources.some((s) => known.has(s.split("#")[0])));
  let found = 0;
  for (const l of labelled) {
    const hits = (await retriever.search(l.question, 5)).hits;
    if (hits.some((h) => l.sources.includes(h.chunk.meta.docId) || l.sources.includes(h.chunk.meta.chunkId))) found++;
  }
  const sourceRecall5 = labelled.length ? found / labelled.length : undefined;

  const inner = retriever as unknown as RetrieverInternals;
  const pool = Math.min(CORE_POOL, retriever.size);
  const qvs = await Promise.all(queries.map((q) => retriever.queryVector(q)));
  const parts = {
    embedQuery: summarize(await timeEach(queries, (q) => retriever.queryVector(q))),
    vector: summarize(await timeEach(qvs, (qv) => inner.vectors?.searchKnn(qv, pool))),
    lexical: summarize(await timeEach(queries, (q) => inner.lexicalSearch(q, pool))),
  };
  return { chunks: retriever.size, warmupQueries: warmup.length, loadMs, indexRssMb: after - before, rssBeforeMb: before, rssAfterLoadMb: after, peakRssMb, search, parts, sourceRecall5, labelled: labelled.length };
}

// ---------------------------------------------------------------------------------------------
// Raw ANN: hnswlib-node's HierarchicalNSW on the very index file buildIndex wrote, against exact search.

export interface HnswParams {
  M: number;
  efConstruction: number;
  maxLevel: number;
}

/** Reads M and efConstruction from the header hnswlib writes (HierarchicalNSW::saveIndex field order). */
export function readHnswParams(indexFile: string): HnswParams {
  const fd = openSync(indexFile, "r");
  try {
    const b = Buffer.alloc(96);
    readSync(fd, b, 0, 96, 0);
    // offsetLevel0, max_elements, cur_element_count, size_data_per_element, label_offset, offsetData (size_t each),
    // maxlevel (int), enterpoint_node (uint), maxM, maxM0, M (size_t), mult (double), ef_construction (size_t)
    return { maxLevel: b.readInt32LE(48), M: Number(b.readBigUInt64LE(72)), efConstruction: Number(b.readBigUInt64LE(88)) };
  } finally {
    closeSync(fd);
  }
}

export interface AnnRow {
  ef: number;
  /** hnswlib searches with max(ef, k). */
  effectiveEf: number;
  recallAt10: number;
  latency: LatencyStats;
}

export interface AnnResult {
  chunks: number;
  dims: number;
  params: HnswParams;
  hnswFileMb: number;
  /** RSS growth from HierarchicalNSW.readIndex alone, after GC. */
  hnswRssMb: number;
  loadMs: number;
  queries: number;
  embedQuery: LatencyStats;
  brute: LatencyStats;
  sweep: AnnRow[];
  /** The setting the core runs with: k = 20, ef = EF_SEARCH from the retriever. */
  core: AnnRow;
  /** Smallest ef of the sweep with recall@10 ≥ 0.98 (or the best row if none reaches it). */
  chosen: AnnRow;
  /** Brute-force p50 / chosen ANN p50. */
  speedup: number;
}

/** Exact top-k by cosine (vectors are unit length, so the dot product) over a flat Float32Array. */
export function bruteTopK(all: Float32Array, dims: number, q: Float32Array, k: number): { ids: Int32Array; sims: Float64Array } {
  const n = all.length / dims;
  const ids = new Int32Array(k).fill(-1);
  const sims = new Float64Array(k).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const o = i * dims;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let d = 0;
    for (; d + 3 < dims; d += 4) {
      s0 += all[o + d] * q[d];
      s1 += all[o + d + 1] * q[d + 1];
      s2 += all[o + d + 2] * q[d + 2];
      s3 += all[o + d + 3] * q[d + 3];
    }
    for (; d < dims; d++) s0 += all[o + d] * q[d];
    const s = s0 + s1 + s2 + s3;
    if (s <= sims[k - 1]) continue;
    let j = k - 1;
    while (j > 0 && sims[j - 1] < s) {
      sims[j] = sims[j - 1];
      ids[j] = ids[j - 1];
      j--;
    }
    sims[j] = s;
    ids[j] = i;
  }
  return { ids, sims };
}

function dot(all: Float32Array, dims: number, id: number, q: Float32Array): number {
  let s = 0;
  const o = id * dims;
  for (let d = 0; d < dims; d++) s += all[o + d] * q[d];
  return s;
}

/**
 * Recall@k with ties: a returned neighbour counts when its exact similarity reaches the k-th best exact
 * similarity (minus float32 rounding), so equally near duplicates do not count as misses.
 */
export function recallAtK(found: number[], exact: { sims: Float64Array }, all: Float32Array, dims: number, q: Float32Array, k: number): number {
  const kth = exact.sims[k - 1];
  let hits = 0;
  for (const id of found.slice(0, k)) if (dot(all, dims, id, q) >= kth - 1e-5) hits++;
  return hits / k;
}

export async function measureAnn(opts: { dataDir: string; queries: string[]; efSweep?: number[]; warmup?: number }): Promise<AnnResult> {
  const p = indexPaths(opts.dataDir);
  const manifest = JSON.parse(readFileSync(p.manifest, "utf8")) as Manifest;
  const file = join(p.hnsw, "hnswlib.index");
  if (!existsSync(file)) throw new Error(`${file} fehlt: erst den Index bauen`);
  const dims = manifest.dims;
  const embedder = new HashedNgramEmbedder();

  const before = settledRssMb();
  const t = performance.now();
  const index = new hnswlib.HierarchicalNSW("cosine", dims);
  await index.readIndex(file);
  const loadMs = performance.now() - t;
  const hnswRssMb = settledRssMb() - before;
  const n = index.getCurrentCount();
  const k = Math.min(10, n);

  // The stored vectors (hnswlib keeps them unit length in cosine space) as one Float32Array for exact search.
  const all = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) all.set(index.getPoint(i), i * dims);

  // The index's own map (projection.ts), as the core reduces a question.
  const projection = existsSync(p.projection) ? Projection.fromBuffer(readFileSync(p.projection)) : undefined;
  const embed = async (q: string) => {
    const v = await embedder.embedQuery(q);
    return projection ? Array.from(projection.apply(v)) : v;
  };
  const qv = await Promise.all(opts.queries.map(embed));
  const embedQuery = summarize(await timeEach(opts.queries, embed));
  const q32 = qv.map((v) => Float32Array.from(v));
  for (const q of q32.slice(0, opts.warmup ?? 3)) bruteTopK(all, dims, q, k);
  const exact: ReturnType<typeof bruteTopK>[] = [];
  const brute = summarize(await timeEach(q32, (q) => exact.push(bruteTopK(all, dims, q, k))));

  const run = (ef: number, searchK: number): AnnRow => {
    index.setEf(ef);
    for (const v of qv.slice(0, opts.warmup ?? 10)) index.searchKnn(v, Math.min(searchK, n));
    let recall = 0;
    const lat: number[] = [];
    qv.forEach((v, i) => {
      const t0 = performance.now();
      const r = index.searchKnn(v, Math.min(searchK, n));
      lat.push(performance.now() - t0);
      const nearestFirst = r.neighbors.map((id, j) => [id, r.distances[j]] as const).sort((a, b) => a[1] - b[1]).map(([id]) => id);
      recall += recallAtK(nearestFirst, exact[i], all, dims, q32[i], k);
    });
    return { ef, effectiveEf: Math.max(ef, Math.min(searchK, n)), recallAt10: recall / qv.length, latency: summarize(lat) };
  };

  const sweep = (opts.efSweep ?? DEFAULT_EF_SWEEP).map((ef) => run(ef, k));
  // The core asks for the top 20 (its fusion pool) with its own efSearch; its top 10 are what recall@10 judges.
  const core = run(CORE_EF, Math.min(CORE_POOL, n));
  const chosen = sweep.find((r) => r.recallAt10 >= RECALL_TARGET) ?? [...sweep].sort((a, b) => b.recallAt10 - a.recallAt10)[0];
  return {
    chunks: n, dims, params: readHnswParams(file), hnswFileMb: fileMb(file), hnswRssMb, loadMs, queries: qv.length,
    embedQuery, brute, sweep, core, chosen, speedup: chosen.latency.p50 > 0 ? brute.p50 / chosen.latency.p50 : 0,
  };
}
