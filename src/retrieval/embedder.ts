import type { EmbeddingsInterface } from "@langchain/core/embeddings";

/** An embedder that can say which model built a vector, so a changed model forces a rebuild. */
export interface Embedder extends EmbeddingsInterface {
  readonly id: string;
  /** false: vectors are not kept in DATA_DIR/embed-cache (recomputing is cheaper than a file per vector). */
  readonly cacheable?: boolean;
  /**
   * The index stores this embedder's vectors reduced to this many dimensions by a map fitted on its passages
   * (projection.ts); a question is reduced with the same map. Unset: vectors are stored as they come.
   */
  readonly reduceTo?: number;
}
