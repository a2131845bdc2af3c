import { ChunkStore } from "../retrieval/chunk-store.js";
import MiniSearch from "minisearch";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { Document } from "@langchain/core/documents";
import { buildIndex, type VectorIndexWriter } from "../retrieval/build-index.js";
import { HashedNgramEmbedder } from "../retrieval/hashed-ngram-embedder.js";
import type { Embedder } from "../retrieval/embedder.js";
import type { LexicalEngine } from "../retrieval/bm25-index.js";
import { HybridRetriever } from "../retrieval/hybrid-retriever.js";
import { indexPaths } from "../retrieval/index-files.js";
import { LEXICAL_OPTIONS, lexicalDocument } from "../retrieval/lexical-index.js";
import type { Chunk } from "../retrieval/knowledge-types.js";

/*
 * The benchmark's peer: search as it was before the flat BM25 index and the direct hnswlib build and load —
 * MiniSearch read from its JSON file and langchain's HNSWLib (efConstruction 200, loaded with its docstore) —
 * on the same corpus and questions in one run. Bench only; MiniSearch is a development dependency.
 */

type Doc = { id: string; title: string; section: string; body: string };
const MINISEARCH_FILE = "minisearch.json";

/**
 * The vector index as the build wrote it before: langchain's HNSWLib with hnswlib's default efConstruction (200),
 * saved with its docstore.json (a copy of every passage), which HNSWLib.load reads back.
 */
export const langchainHnsw: VectorIndexWriter = async (vectors, dims, dir, chunks) => {
  const store = new HNSWLib(new HashedNgramEmbedder(), { space: "cosine", numDimensions: dims });
  await store.addVectors(vectors, chunks.map((c) => new Document({ pageContent: c.text, metadata: { ...c.meta } })));
  await store.save(dir);
};

/**
 * Builds the peer's own index from the same knowledge folder (`workDir/knowledge` → `workDir/peer-data`) the
 * previous way — langchain's HNSWLib and a MiniSearch index beside it — and returns the whole build's ms.
 */
export async function buildPeer(workDir: string): Promise<number> {
  const t = performance.now();
  const dataDir = join(workDir, "peer-data");
  await buildIndex({ knowledgeDir: join(workDir, "knowledge"), dataDir, embedder: new HashedNgramEmbedder(), vectorIndex: langchainHnsw });
  await buildPeerLexical(dataDir);
  return performance.now() - t;
}

/** Writes the peer's MiniSearch index next to the real one (what the build used to write); returns ms. */
export async function buildPeerLexical(dataDir: string): Promise<number> {
  const t = performance.now();
  const chunks = new ChunkStore(indexPaths(dataDir).chunks).chunks;
  const ms = new MiniSearch<Doc>({ fields: LEXICAL_OPTIONS.fields, tokenize: LEXICAL_OPTIONS.tokenize, processTerm: LEXICAL_OPTIONS.processTerm });
  ms.addAll(chunks.map((c) => ({ id: c.meta.chunkId, ...(lexicalDocument(c).fields as Omit<Doc, "id">) })));
  await writeFile(join(dataDir, "index", MINISEARCH_FILE), JSON.stringify(ms));
  return performance.now() - t;
}

function miniSearchEngine(ms: MiniSearch<Doc>): LexicalEngine {
  return {
    search: (queryTerms, limit, opts) =>
      ms.search(queryTerms.join(" "), {
        // The terms are stemmed already.
        tokenize: (s) => s.split(" ").filter(Boolean), processTerm: (t) => t,
        boost: LEXICAL_OPTIONS.boost, fuzzy: (t) => opts.fuzzy(t), prefix: (t) => opts.prefix(t), combineWith: "OR",
        boostTerm: (_t, i) => opts.boosts?.[i] ?? 1,
      }).slice(0, limit).map((r) => ({ id: String(r.id), score: r.score })),
  };
}

/** Kept so the docstore stays in memory while the peer serves, as it did before. */
let peerStore: HNSWLib | undefined;

export async function loadPeer(dataDir: string, embedder: Embedder): Promise<HybridRetriever> {
  return HybridRetriever.load(dataDir, embedder, {
    vectors: async (hnswDir) => {
      peerStore = await HNSWLib.load(hnswDir, embedder);
      return peerStore.index;
    },
    lexical: async (_chunks: Chunk[], dir: string) => {
      const file = join(dir, "index", MINISEARCH_FILE);
      if (!existsSync(file)) throw new Error(`${file} fehlt: erst buildPeerLexical`);
      return miniSearchEngine(MiniSearch.loadJSON<Doc>(await readFile(file, "utf8"), { fields: LEXICAL_OPTIONS.fields, tokenize: LEXICAL_OPTIONS.tokenize, processTerm: LEXICAL_OPTIONS.processTerm }));
    },
  });
}
