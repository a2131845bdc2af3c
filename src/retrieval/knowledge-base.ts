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
  if (reason) {
    opts.log.info({ reason }, "building knowledge index");
    report = await buildIndex(opts);
    for (const p of report.problems) opts.log.warn({ file: p.file, problem: p.message }, "knowledge file skipped");
    opts.log.info({ docs: report.docs, chunks: report.chunks, embedded: report.embedded, reused: report.reused }, "knowledge index built");
  }
  const retriever = await HybridRetriever.load(opts.dataDir, opts.embedder);
  return { retriever, report };
}
