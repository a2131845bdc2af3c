import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Embedder } from "./embedder.js";
import { CHUNK_FORMAT, indexPaths, type Manifest } from "./index-files.js";
import type { Chunk, IngestProblem, KnowledgeDoc } from "./knowledge-types.js";
import { LexicalIndex, passageTerms } from "./lexical-index.js";
import { listKnowledgeFiles, readKnowledge } from "./load-knowledge.js";
import { chunkDoc } from "./chunker.js";
import { EmbeddingCache } from "./embedding-cache.js";
import { sha256 } from "./markdown-loader.js";
import { writeChunks, writeDocs } from "./chunk-store.js";
import { evenSample, Projection } from "./projection.js";
import { sentencesOf } from "../language/resources.js";

export interface IngestReport {
  docs: number;
  chunks: number;
  embedded: number;
  reused: number;
  added: string[];
  changed: string[];
  removed: string[];
  problems: IngestProblem[];
  rebuiltBecause?: string;
  /** Where the build's time went (ms): embedding (incl. the cache) and the vector graph. */
  timings: { embedMs: number; vectorMs: number; totalMs: number };
}

/** Writes the vector index of `vectors` (label = position) into `dir`; the benchmark's peer passes the previous way. */
export type VectorIndexWriter = (vectors: number[][], dims: number, dir: string, chunks: Chunk[]) => Promise<void>;

/**
 * hnswlib's graph with efConstruction 100 (hnswlib's default, and langchain's, is 200): about 40 % less build
 * time at 100k passages, and with efSearch 480 recall@10 stays above 0.98 (npm run bench, README). Built
 * with hnswlib-node itself because langchain's HNSWLib initialises the graph with the defaults only and saves a
 * docstore.json copy of every passage the search never reads. The files keep HNSWLib's names (hnswlib.index,
 * args.json); HNSWLib.load would also want the docstore, the search does not.
 */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;

/** Takes the vectors in passage order while they are embedded; `finish` writes the index into `dir`. */
interface VectorSink {
  add(vectors: Float32Array[]): void;
  finish(dir: string, chunks: Chunk[]): Promise<void>;
  /** Gives up the build; resolves when nothing of it runs any more. */
  abort(): Promise<void>;
}

/**
 * The graph grows on a worker thread (hnsw-build-worker.mjs) while this thread embeds the next batch and then
 * writes the lexical index and chunks.sqlite: on two cores the build takes about as long as the graph alone.
 */
export function hnswOnWorker(): VectorSink {
  let worker: Worker | undefined;
  let failed: Error | undefined;
  let done: Promise<void> | undefined;
  let next = 0;
  let dims = 0;
  const stop = new Int32Array(new SharedArrayBuffer(4));
  let exited: Promise<void> | undefined;
  return {
    add(vectors) {
      if (failed) throw failed;
      if (!vectors.length) return;
      if (!worker) {
        dims = vectors[0].length;
        worker = new Worker(new URL("./hnsw-build-worker.mjs", import.meta.url), {
          workerData: { space: "cosine", dims, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, seed: 100, stop: stop.buffer },
        });
        exited = new Promise<void>((resolve) => worker!.once("exit", () => resolve()));
        done = new Promise<void>((resolve, reject) => {
          worker!.on("message", (m: { type: string; message?: string }) => {
            if (m.type === "done") resolve();
            if (m.type === "error") reject((failed = new Error(`hnswlib: ${m.message}`)));
          });
          worker!.on("error", (err) => reject((failed = err)));
          worker!.on("exit", (code) => reject(new Error(`hnswlib worker stopped (${code})`)));
        });
        done.catch(() => undefined); // awaited in finish(); an early failure must not count as unhandled meanwhile
      }
      const flat = new Float32Array(vectors.length * dims);
      vectors.forEach((v, i) => flat.set(v, i * dims));
      worker.postMessage({ type: "add", vectors: flat, firstLabel: next, count: vectors.length }, [flat.buffer]);
      next += vectors.length;
    },
    async finish(dir) {
      if (!worker) return;
      worker.postMessage({ type: "finish", file: join(dir, "hnswlib.index") });
      try {
        await done;
      } finally {
        await worker.terminate();
      }
      await writeFile(join(dir, "args.json"), JSON.stringify({ space: "cosine", numDimensions: dims }));
    },
    async abort() {
      if (!worker) return;
      // Not worker.terminate(): stopping the thread inside a native call aborts the whole process. The worker
      // sees the flag after its current point and ends itself.
      Atomics.store(stop, 0, 1);
      worker.postMessage({ type: "stop" });
      await exited;
    },
  };
}

/** The benchmark's peer: collects every vector and hands them to its writer at the end. */
function collectFor(writer: VectorIndexWriter): VectorSink {
  const all: number[][] = [];
  return {
    add: (vectors) => vectors.forEach((v) => all.push(Array.from(v))),
    finish: (dir, chunks) => (all.length ? writer(all, all[0].length, dir, chunks) : Promise.resolve()),
    abort: async () => undefined,
  };
}

/** Passages embedded per step: big enough for an embedder's batch request, small enough to keep the graph busy. */
const EMBED_BATCH = 1024;

/** Document-level facts the digest and the staff pages need without loading the vector index. */
export interface DocSummary {
  id: string;
  kind: "newsletter" | "faq";
  title: string;
  file: string;
  date?: string;
  stand?: string;
  link?: string;
  issue?: number;
  topics: string[];
  funding: KnowledgeDoc["funding"];
  summary: string;
  /** Section headings of a newsletter issue (for the digest's "what is in it"). */
  headings?: string[];
  firstSeen: string;
  updatedAt: string;
}

export async function readManifest(dataDir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(indexPaths(dataDir).manifest, "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}

/** Why the index must be (re)built, or undefined when it matches the knowledge files and the embedder. */
export async function staleReason(knowledgeDir: string, dataDir: string, embedderId: string): Promise<string | undefined> {
  const m = await readManifest(dataDir);
  if (!m) return "no index yet";
  if (m.embedderId !== embedderId) return `embedder changed (${m.embedderId} → ${embedderId})`;
  if ((m.chunkFormat ?? 1) !== CHUNK_FORMAT) return `index format changed (${m.chunkFormat ?? 1} → ${CHUNK_FORMAT})`;
  const files = await listKnowledgeFiles(knowledgeDir);
  const rels = files.map((f) => relative(knowledgeDir, f));
  const known = new Set([...Object.keys(m.files), ...m.problems.map((p) => p.file)]);
  if (rels.length !== known.size || rels.some((r) => !known.has(r))) return "knowledge files added or removed";
  for (const f of files) {
    const rel = relative(knowledgeDir, f);
    const entry = m.files[rel];
    const problem = m.problems.find((p) => p.file === rel);
    const hash = sha256(await readFile(f));
    if (entry && entry.hash !== hash) return `${rel} changed`;
    if (problem && (problem as { hash?: string }).hash !== hash) return `${rel} changed`;
  }
  return undefined;
}

/** The short summary of an entry for the digest and staff pages: its first sentence (two when the first is a bare "Ja."). */
export function summarize(doc: KnowledgeDoc): string {
  const t = (doc.faq?.answer ?? doc.sections.find((s) => s.heading !== doc.title)?.text ?? doc.sections[0]?.text ?? "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  // The message splitter's rules: a digest read "beantragt die Ortsgemeinde bis zum 26." (user test).
  const sentences = sentencesOf(t);
  // An FAQ answer that opens with a bare "Ja." or "Nein." says nothing on its own: take the next sentence too.
  const first = sentences[0] && sentences[0].length < 25 && sentences[1] ? `${sentences[0]} ${sentences[1]}` : (sentences[0] ?? t);
  return first.length > 160 ? first.slice(0, 157) + "…" : first;
}

/**
 * Reads knowledge/, embeds only what changed (cache keyed by embedder + text), and writes the hnswlib
 * and lexical indexes to DATA_DIR/index. Written to a temp folder and swapped in, so a reader never
 * sees half an index.
 */
export class EmptyKnowledgeError extends Error {
  readonly code = "ORTSLOTSE_EMPTY_KNOWLEDGE";
  constructor(readonly knowledgeDir: string, readonly keptChunks: number) {
    super(`KNOWLEDGE_DIR „${knowledgeDir}“ enthält keine lesbaren Newsletter- oder FAQ-Dateien; der bisherige Index (${keptChunks} Abschnitte) bleibt unverändert.`);
    this.name = "EmptyKnowledgeError";
  }
}

export async function buildIndex(opts: { knowledgeDir: string; dataDir: string; embedder: Embedder; vectorIndex?: VectorIndexWriter }): Promise<IngestReport> {
  const { knowledgeDir, dataDir, embedder } = opts;
  const started = performance.now();
  const paths = indexPaths(dataDir);
  const old = await readManifest(dataDir);
  const rebuiltBecause = await staleReason(knowledgeDir, dataDir, embedder.id);
  const docs: KnowledgeDoc[] = [];
  const problems: IngestProblem[] = [];
  const chunks: Chunk[] = [];

  const tmp = `${paths.dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(join(tmp, "hnsw"), { recursive: true });
  const vectorStarted = performance.now();
  const sink = opts.vectorIndex ? collectFor(opts.vectorIndex) : hnswOnWorker();
  // A vector the embedder makes faster than a cache file can be written and read (the offline embedder) is not cached.
  const cache = embedder.cacheable === false ? undefined : await EmbeddingCache.open(dataDir, embedder.id);
  // One vector per text: passages with the same text share it and the embedding call.
  const byText = new Map<string, Float32Array>();
  const fromCache = new Set<string>();
  let embedMs = 0;
  let embedded = 0;
  let dims = 0;
  let vectorMs = 0;
  let sent = 0;
  // The benchmark's peer (its own writer) keeps the previous way: vectors as the embedder makes them.
  const reduceTo = opts.vectorIndex ? undefined : embedder.reduceTo;
  let projection: Projection | undefined;
  const vectorsOf = async (texts: string[]): Promise<Float32Array[]> => {
    const known = cache ? await cache.get(texts) : [];
    const missing = texts.filter((_, i) => !known[i]);
    const fresh = missing.length ? await embedder.embedDocuments(missing) : [];
    if (missing.length) await cache?.set(missing.map((t, i) => [t, fresh[i]]));
    embedded += missing.length;
    let f = 0;
    return texts.map((t, i) => {
      if (known[i]) {
        fromCache.add(t);
        return Float32Array.from(known[i]!);
      }
      return Float32Array.from(fresh[f++]);
    });
  };
  // Embeds the passages read so far (all of them when `all`) and hands their vectors to the graph.
  const embedPending = async (all: boolean) => {
    while (chunks.length - sent >= (all ? 1 : EMBED_BATCH)) {
      const t0 = performance.now();
      const batch = chunks.slice(sent, sent + EMBED_BATCH);
      sent += batch.length;
      const wanted = [...new Set(batch.map((c) => c.searchText))].filter((t) => !byText.has(t));
      const got = await vectorsOf(wanted);
      wanted.forEach((t, i) => byText.set(t, projection ? projection.apply(got[i]) : got[i]));
      const vectors = batch.map((c) => byText.get(c.searchText)!);
      dims ||= vectors[0]?.length ?? 0;
      embedMs += performance.now() - t0;
      sink.add(vectors);
    }
  };
  try {
    // Read, chunk and embed file by file: the graph grows from the first batch on, not after the last file.
    for await (const item of readKnowledge(knowledgeDir)) {
      if ("problem" in item) {
        problems.push(item.problem);
        continue;
      }
      docs.push(item.doc);
      chunks.push(...(await chunkDoc(item.doc)));
      // A reduced index needs its map before the first vector: then all passages are read first.
      if (!reduceTo) await embedPending(false);
    }
    // A wrong or emptied folder must not replace a working index with an empty one.
    if (!chunks.length && old && old.chunkCount > 0) throw new EmptyKnowledgeError(knowledgeDir, old.chunkCount);
    if (reduceTo) {
      const texts = evenSample([...new Set(chunks.map((c) => c.searchText))]);
      // Fewer distinct passages than dimensions (a tiny knowledge folder): nothing to reduce.
      if (texts.length > reduceTo) {
        const t0 = performance.now();
        projection = Projection.fit(await embedder.embedDocuments(texts), reduceTo);
        await writeFile(join(tmp, "projection.bin"), projection.toBuffer());
        embedMs += performance.now() - t0;
      }
    }
    await embedPending(true);
    byText.clear();
    // While the graph grows on its thread: the lexical index and the passages.
    const termSets = chunks.map(passageTerms);
    await writeFile(join(tmp, "lexical.bin"), LexicalIndex.build(chunks, (i) => termSets[i]).toBuffer());
    writeChunks(chunks, join(tmp, "chunks.sqlite"), (i) => termSets[i]);
    await sink.finish(join(tmp, "hnsw"), chunks);
    vectorMs = performance.now() - vectorStarted;
  } catch (err) {
    await sink.abort();
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const reused = chunks.filter((c) => fromCache.has(c.searchText)).length;

  const nowIso = new Date().toISOString();
  const files: Manifest["files"] = {};
  const added: string[] = [];
  const changed: string[] = [];
  for (const d of docs) {
    const prev = old?.files[d.file];
    if (!prev) added.push(d.file);
    else if (prev.hash !== d.hash) changed.push(d.file);
    files[d.file] = { hash: d.hash, firstSeen: prev?.firstSeen ?? nowIso, updatedAt: prev && prev.hash === d.hash ? prev.updatedAt : nowIso };
  }
  const removed = old ? Object.keys(old.files).filter((f) => !files[f]) : [];
  const summaries: DocSummary[] = docs.map((d) => ({
    id: d.id, kind: d.kind, title: d.title, file: d.file, date: d.date, stand: d.stand, link: d.link, issue: d.issue,
    topics: d.topics, funding: d.funding, summary: summarize(d),
    ...(d.kind === "newsletter" ? { headings: d.sections.map((x) => x.heading).filter((h) => h !== d.title && !/^kontakt$/i.test(h)) } : {}),
    firstSeen: files[d.file].firstSeen, updatedAt: files[d.file].updatedAt,
  }));
  writeDocs(summaries, join(tmp, "chunks.sqlite"));


  // Problems keep the file hash so an unchanged broken file does not trigger a rebuild on every start.
  const problemsWithHash = await Promise.all(
    problems.map(async (p) => ({ ...p, hash: sha256(await readFile(join(knowledgeDir, p.file)).catch(() => Buffer.alloc(0))) })),
  );
  const manifest: Manifest = {
    version: 1, chunkFormat: CHUNK_FORMAT, embedderId: embedder.id, dims, builtAt: nowIso, baselineAt: old?.baselineAt ?? nowIso, chunkCount: chunks.length, files, problems: problemsWithHash,
  };
  await writeFile(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2));

  const trash = `${paths.dir}.old-${process.pid}-${Date.now()}`;
  if (existsSync(paths.dir)) await rename(paths.dir, trash);
  await rename(tmp, paths.dir);
  await rm(trash, { recursive: true, force: true });
  await cache?.keepOnly([...new Set(chunks.map((c) => c.searchText))], embedder.id);

  return {
    docs: docs.length, chunks: chunks.length, embedded, reused,
    added, changed, removed, problems, rebuiltBecause,
    timings: { embedMs, vectorMs, totalMs: performance.now() - started },
  };
}
