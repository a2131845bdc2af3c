import { buildIndex } from "../retrieval/build-index.js";
import { HashedNgramEmbedder } from "../retrieval/hashed-ngram-embedder.js";
import { indexPaths } from "../retrieval/index-files.js";
import { dirMb } from "./memory.js";

export interface IngestResult {
  docs: number;
  chunks: number;
  problems: number;
  full: { ms: number; embedded: number };
  /** A second build with nothing changed (the offline embedder keeps no cache: it recomputes every vector). */
  incremental: { ms: number; embedded: number; reused: number };
  indexMb: number;
}

/** Full build of a knowledge folder into an empty DATA_DIR, then an incremental run with nothing changed. */
export async function runIngestBench(opts: { knowledgeDir: string; dataDir: string }): Promise<IngestResult> {
  const embedder = new HashedNgramEmbedder();
  let t = performance.now();
  const full = await buildIndex({ knowledgeDir: opts.knowledgeDir, dataDir: opts.dataDir, embedder });
  const fullMs = performance.now() - t;
  t = performance.now();
  const again = await buildIndex({ knowledgeDir: opts.knowledgeDir, dataDir: opts.dataDir, embedder });
  const incMs = performance.now() - t;
  return {
    docs: full.docs, chunks: full.chunks, problems: full.problems.length,
    full: { ms: fullMs, embedded: full.embedded },
    incremental: { ms: incMs, embedded: again.embedded, reused: again.reused },
    indexMb: dirMb(indexPaths(opts.dataDir).dir),
  };
}
