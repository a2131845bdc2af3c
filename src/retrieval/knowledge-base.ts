import type { Logger } from "pino";
import type { Embedder } from "./embedder.js";
import { buildIndex, staleReason, type IngestReport } from "./build-index.js";
import { HybridRetriever } from "./hybrid-retriever.js";
import { HashedNgramEmbedder } from "./hashed-ngram-embedder.js";
import { OpenAIEmbedder } from "./openai-embedder.js";
import type { Config } from "../config.js";

export function createEmbedder(config: Pick<Config, "llm" | "embeddingModel">): Embedder {
  if (config.llm && config.embeddingModel) {
    return new OpenAIEmbedder({
      apiKey: config.llm.apiKey, baseURL: config.llm.baseURL, model: config.embeddingModel,
      timeoutMs: config.llm.timeoutMs, maxRetries: config.llm.maxRetries,
    });
  }
  return new HashedNgramEmbedder();
}

/** Builds the index when it is missing or stale (files or embedder changed), then loads it. */
export async function openKnowledge(opts: {
  knowledgeDir: string;
  dataDir: string;
  embedder: Embedder;
  log: Logger;
}): Promise<{ retriever: HybridRetriever; report?: IngestReport }> {
  const reason = await staleReason(opts.knowledgeDir, opts.dataDir, opts.embedder.id);
  let report: IngestReport | undefined;
  const build = async (why: string) => {
    opts.log.info({ reason: why }, "building knowledge index");
    report = await buildIndex(opts);
    for (const p of report.problems) opts.log.warn({ file: p.file, problem: p.message }, "knowledge file skipped");
    opts.log.info({ docs: report.docs, chunks: report.chunks, embedded: report.embedded, reused: report.reused }, "knowledge index built");
  };
  if (reason) await build(reason);
  try {
    return { retriever: await HybridRetriever.load(opts.dataDir, opts.embedder), report };
  } catch (err) {
    // The index is built from knowledge/ alone: a damaged file in it (disk full, copied half) is rebuilt, not
    // fatal. A fresh build that still cannot be read is.
    if (reason) throw new IndexUnreadableError(opts.dataDir, err);
    opts.log.warn({ err: (err as Error).message, dataDir: opts.dataDir }, "knowledge index unreadable, rebuilding");
    await build("index unreadable");
    try {
      return { retriever: await HybridRetriever.load(opts.dataDir, opts.embedder), report };
    } catch (again) {
      throw new IndexUnreadableError(opts.dataDir, again);
    }
  }
}

/** The index in DATA_DIR cannot be read even right after building it. */
export class IndexUnreadableError extends Error {
  constructor(dataDir: string, cause: unknown) {
    super(`Der Wissensindex in ${dataDir} ist nicht lesbar (${(cause as Error).message}). Bitte prüfen Sie, ob DATA_DIR beschreibbar ist und genug Platz hat, und bauen Sie ihn mit "npm run ingest" neu.`, { cause });
    this.name = "IndexUnreadableError";
  }
}
