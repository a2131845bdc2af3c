import { join } from "node:path";
import type { Logger } from "pino";
import type { Embedder } from "../retrieval/embedder.js";
import { openKnowledge } from "../retrieval/knowledge-base.js";
import type { IngestReport } from "../retrieval/build-index.js";
import type { HybridRetriever } from "../retrieval/hybrid-retriever.js";
import { PublishedKnowledge } from "./published.js";

/** What a reload hands to the core: the new retriever and what is built on it. */
export type KnowledgeSwap = (retriever: HybridRetriever, knowledgeDir: string) => void;

/**
 * The knowledge the core answers from, kept current without a restart: after staff publish or retire
 * something (here, or on another instance — seen through the store's version), the base is rebuilt
 * (only changed passages are embedded again) and swapped in; questions in flight finish on the old one.
 */
export class LiveKnowledge {
  readonly published: PublishedKnowledge;
  private loaded = "";
  private dir = "";
  private running: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private opts: { knowledgeDir: string; dataDir: string; embedder: Embedder; log: Logger; published: PublishedKnowledge; swap: KnowledgeSwap },
  ) {
    this.published = opts.published;
  }

  /** Where the merged knowledge (repository files + published) is written. */
  get liveDir(): string {
    return join(this.opts.dataDir, "knowledge-live");
  }

  /**
   * The folder to answer from at start: KNOWLEDGE_DIR as it is while nobody published anything, else the
   * merged copy. Records the version it reflects.
   */
  async initialDir(): Promise<string> {
    this.loaded = await this.published.version();
    if (!(await this.published.list()).length) return (this.dir = this.opts.knowledgeDir);
    await this.published.materialize(this.opts.knowledgeDir, this.liveDir);
    return (this.dir = this.liveDir);
  }

  /** The folder the current answers come from (to read an entry's file, e.g. to edit it). */
  get currentDir(): string {
    return this.dir || this.opts.knowledgeDir;
  }

  /** Rebuilds and swaps in the knowledge, one reload at a time. */
  reload(reason: string): Promise<IngestReport | undefined> {
    const next = this.running.then(() => this.doReload(reason));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async doReload(reason: string): Promise<IngestReport | undefined> {
    const version = await this.published.version();
    const counts = await this.published.materialize(this.opts.knowledgeDir, this.liveDir);
    const { retriever, report } = await openKnowledge({ knowledgeDir: this.liveDir, dataDir: this.opts.dataDir, embedder: this.opts.embedder, log: this.opts.log });
    this.opts.swap(retriever, this.liveDir);
    this.loaded = version;
    this.dir = this.liveDir;
    this.opts.log.info({ reason, ...counts, chunks: retriever.size }, "knowledge reloaded");
    return report;
  }

  /** Reloads when another instance changed the knowledge (version in the store differs). */
  async checkForChanges(): Promise<boolean> {
    const v = await this.published.version();
    if (v === this.loaded) return false;
    await this.reload("changed on another instance");
    return true;
  }

  startPolling(seconds: number): void {
    this.timer = setInterval(() => {
      this.checkForChanges().catch((err) => this.opts.log.error({ err }, "knowledge reload failed; the previous knowledge stays"));
    }, seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
