import { ChunkStore } from "../retrieval/chunk-store.js";
import MiniSearch from "minisearch";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import type { Embedder } from "../retrieval/embedder.js";
import type { LexicalEngine } from "../retrieval/bm25-index.js";
import { HybridRetriever } from "../retrieval/hybrid-retriever.js";
import { indexPaths } from "../retrieval/index-files.js";
import { LEXICAL_OPTIONS, lexicalDocument } from "../retrieval/lexical-index.js";
import type { Chunk } from "../retrieval/knowledge-types.js";

/*
 * The benchmark's peer: search as it was before the flat BM25 index and the direct hnswlib load —
 * MiniSearch read from its JSON file and langchain's HNSWLib.load (with its docstore) — on the same index,
 * so both paths are measured on the same corpus and questions in one run. Bench only; MiniSearch is a
 * development dependency.
 */

type Doc = { id: string; title: string; section: string; body: string };
const MINISEARCH_FILE = "minisearch.json";

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
