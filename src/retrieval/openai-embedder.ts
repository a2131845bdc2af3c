import OpenAI from "openai";
import type { Embedder } from "./embedder.js";

/** OpenAI-compatible /v1/embeddings (OpenAI, Azure, Ollama, vLLM); batches keep requests small. */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private client: OpenAI;

  constructor(private opts: { apiKey: string; baseURL?: string; model: string; timeoutMs: number; maxRetries: number; batchSize?: number }) {
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: opts.timeoutMs, maxRetries: opts.maxRetries });
    this.id = `openai:${opts.model}@${opts.baseURL ?? "api.openai.com"}`;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const out: number[][] = [];
    const size = this.opts.batchSize ?? 64;
    for (let i = 0; i < documents.length; i += size) {
      const batch = documents.slice(i, i + size);
      const res = await this.client.embeddings.create({ model: this.opts.model, input: batch });
      const sorted = [...res.data].sort((a, b) => a.index - b.index);
      if (sorted.length !== batch.length) throw new Error(`embeddings endpoint returned ${sorted.length} vectors for ${batch.length} texts`);
      out.push(...sorted.map((d) => d.embedding));
    }
    return out;
  }

  async embedQuery(document: string): Promise<number[]> {
    return (await this.embedDocuments([document]))[0];
  }
}
