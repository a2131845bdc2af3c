import { join } from "node:path";

/** Where the built knowledge index lives inside DATA_DIR. */
export function indexPaths(dataDir: string) {
  const dir = join(dataDir, "index");
  return {
    dir,
    manifest: join(dir, "manifest.json"),
    hnsw: join(dir, "hnsw"),
    lexical: join(dir, "lexical.bin"),
    chunks: join(dir, "chunks.sqlite"),
    /** The map from the embedder's vectors to the index's (projection.ts); absent when they are stored as they come. */
    projection: join(dir, "projection.bin"),
  };
}

export interface ManifestFile {
  hash: string;
  firstSeen: string;
  updatedAt: string;
}

/**
 * What the chunks carry changes with the code (e.g. section-level legal marking): an index built with an
 * older format is rebuilt at start, even if no knowledge file changed. 10: vectors reduced by the index's own map
 * (projection.ts); bump it too when the fit changes, so no index keeps a map made the old way. 12: entry summaries
 * (digest) split into sentences by the message splitter, so a date's "26." ends no sentence. 13: deadlines found in
 * an uploaded issue's text are marked `fromText` (staff are not offered them as a programme's data).
 */
export const CHUNK_FORMAT = 13;

export interface Manifest {
  version: 1;
  chunkFormat?: number;
  embedderId: string;
  dims: number;
  builtAt: string;
  /** When the index was first built: files present then are the baseline, not news for the digest. */
  baselineAt?: string;
  chunkCount: number;
  files: Record<string, ManifestFile>;
  problems: { file: string; message: string }[];
}
