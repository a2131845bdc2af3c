import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { HashedNgramEmbedder } from "../retrieval/hashed-ngram-embedder.js";
import { indexPaths } from "../retrieval/index-files.js";
import { EF_SEARCH } from "../retrieval/hybrid-retriever.js";
import { REPO_ROOT, runWorker, startWorker } from "./child.js";
import type { E2eResult } from "./e2e-bench.js";
import type { IngestResult } from "./ingest-bench.js";
import { runLoadBench, type LoadResult } from "./load-bench.js";
import { loadQueries, type LabelledQuestion } from "./queries.js";
import { evaluateTargets, explain, kLabel, searchEntries, type BenchReport, type RetrievalSize } from "./report.js";
import type { AnnResult, HybridResult, SyntheticBuild } from "./retrieval-bench.js";

export const DEFAULT_SIZES = [1_000, 10_000, 100_000];
export const QUICK_SIZES = [1_000, 5_000];
export const DEFAULT_SEED = 20260309;
/** Other questions each search process answers before the measured ones (see measureHybrid). */
const SEARCH_WARMUP = 300;

export interface BenchOptions {
  quick?: boolean;
  sizes?: number[];
  seed?: number;
  /** The knowledge measured end to end and the source of the synthetic corpus. */
  knowledgeDir?: string;
  promptsDir?: string;
  /** Simulated mayors × questions each for the Telegram load run; false to skip it. */
  load?: { mayors: number; perMayor: number } | false;
  /** Mayors who all ask for a person at once, with a staff chat (notices throttled by Telegram); false to skip. */
  handovers?: number | false;
  /** About how many questions the retrieval figures use. */
  queries?: number;
  /** Answerable questions with their expected entries for source recall (default: public + own eval sets). */
  labelled?: LabelledQuestion[];
  /** Keep the temporary DATA_DIRs and synthetic corpora (printed on stderr). */
  keep?: boolean;
  progress?: (msg: string) => void;
}

/**
 * Runs every measurement, each in a fresh worker process, and returns the report. Work happens in a
 * temporary folder that is removed afterwards (unless `keep`); nothing leaves the machine.
 */
export async function runBench(opts: BenchOptions = {}): Promise<BenchReport> {
  const started = Date.now();
  const quick = opts.quick ?? false;
  const sizes = opts.sizes ?? (quick ? QUICK_SIZES : DEFAULT_SIZES);
  const seed = opts.seed ?? DEFAULT_SEED;
  const knowledgeDir = resolve(opts.knowledgeDir ?? join(REPO_ROOT, "knowledge"));
  const promptsDir = resolve(opts.promptsDir ?? join(REPO_ROOT, "prompts"));
  const load = opts.load ?? (quick ? { mayors: 50, perMayor: 5 } : { mayors: 200, perMayor: 5 });
  const say = opts.progress ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), "ortslotse-bench-"));
  if (opts.keep) say(`Arbeitsordner: ${work}`);

  try {
    const q = await loadQueries({ repoRoot: REPO_ROOT, knowledgeDir, target: opts.queries ?? 200 });
    const shippedData = join(work, "shipped-data");
    mkdirSync(shippedData, { recursive: true });

    say("Einlesen: knowledge/ voll und inkrementell …");
    const ingest = await runWorker<IngestResult>("ingest", { knowledgeDir, dataDir: shippedData }, { timeoutMs: 180_000 });

    say(`Ende zu Ende: ${q.ask.length} Fragen offline …`);
    const e2e = await runWorker<E2eResult>("e2e", { knowledgeDir, dataDir: shippedData, promptsDir, questions: q.ask, fresh: q.fresh }, { timeoutMs: 300_000 });

    let loadResult: LoadResult | undefined;
    if (load) {
      say(`Last: ${load.mayors} × ${load.perMayor} Fragen über Telegram …`);
      loadResult = await runLoadBench({
        mayors: load.mayors,
        perMayor: load.perMayor,
        questions: q.ask,
        start: async (apiRoot, token) => {
          const w = startWorker<{ peakRssMb: number }>("telegram", { knowledgeDir, dataDir: shippedData, promptsDir, apiRoot, token }, { timeoutMs: 60_000 + 200 * load.mayors * load.perMayor });
          await w.once("ready");
          return {
            stop: async () => {
              w.send({ type: "stop" });
              return w.result;
            },
          };
        },
      });
    }

    // Hand-overs at once, with a staff chat: the reply to each mayor must not wait for the staff notices,
    // which Telegram lets through only at about 20 per minute into a group.
    let handoverResult: LoadResult | undefined;
    const handovers = opts.handovers ?? (quick ? 10 : 30);
    if (handovers) {
      say(`Übergaben: ${handovers} gleichzeitig, mit Staff-Chat …`);
      // A DATA_DIR of its own: the fake Bot API numbers updates from 1 again, and the load run's store has
      // those update ids as already handled.
      const handoverData = join(work, "handover-data");
      mkdirSync(handoverData, { recursive: true });
      cpSync(indexPaths(shippedData).dir, indexPaths(handoverData).dir, { recursive: true });
      handoverResult = await runLoadBench({
        mayors: handovers,
        perMayor: 1,
        questions: ["Können Sie mich bitte morgen zurückrufen? Es geht um unseren Zuschuss."],
        start: async (apiRoot, token) => {
          const w = startWorker<{ peakRssMb: number }>("telegram", { knowledgeDir, dataDir: handoverData, promptsDir, apiRoot, token, staffChatId: "-1001234567" }, { timeoutMs: 120_000 + 1000 * handovers });
          await w.once("ready");
          return {
            stop: async () => {
              w.send({ type: "stop" });
              return w.result;
            },
          };
        },
      });
    }

    const retrieval: RetrievalSize[] = [];
    for (const size of sizes) {
      const dir = join(work, `corpus-${size}`);
      const dataDir = join(dir, "data");
      say(`Suche ${kLabel(size)}: Korpus erzeugen und Index bauen …`);
      const build = await runWorker<SyntheticBuild>("build", { sourceDir: knowledgeDir, workDir: dir, chunks: size, seed }, { timeoutMs: 120_000 + 6 * size, heapMb: 8192 });
      say(`Suche ${kLabel(size)}: hnswlib gegen exakte Suche …`);
      const ann = await runWorker<AnnResult>("ann", { dataDir, queries: q.search }, { timeoutMs: 120_000 + 3 * size, heapMb: 4096 });
      say(`Suche ${kLabel(size)}: HybridRetriever …`);
      const hybrid = await runWorker<HybridResult>("hybrid", { dataDir, queries: q.search, warmupQueries: q.fresh.slice(0, SEARCH_WARMUP), labelled: opts.labelled ?? q.labelled }, { timeoutMs: 120_000 + 4 * size, heapMb: 6144 });
      say(`Suche ${kLabel(size)}: Vergleich mit MiniSearch + langchain HNSWLib …`);
      const peerBuildMs = await runWorker<number>("peer-build", { workDir: dir }, { timeoutMs: 120_000 + 8 * size, heapMb: 8192 });
      const peerData = join(dir, "peer-data");
      const peerAnn = await runWorker<AnnResult>("ann", { dataDir: peerData, queries: q.search, efSweep: [EF_SEARCH] }, { timeoutMs: 120_000 + 3 * size, heapMb: 4096 });
      const peer = await runWorker<HybridResult>("hybrid", { dataDir: peerData, queries: q.search, warmupQueries: q.fresh.slice(0, SEARCH_WARMUP), path: "peer", labelled: opts.labelled ?? q.labelled }, { timeoutMs: 120_000 + 8 * size, heapMb: 8192 });
      retrieval.push({ size, build, ann, hybrid, peer: { ...peer, buildMs: peerBuildMs, recallAt10: peerAnn.core.recallAt10 } });
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    }

    const cpu = cpus();
    const base = {
      version: 1 as const,
      startedAt: new Date(started).toISOString(),
      durationS: (Date.now() - started) / 1000,
      machine: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? "?", memoryGb: Math.round(totalmem() / 1024 ** 3) },
      options: { quick, sizes, seed, embedder: new HashedNgramEmbedder().id },
      queries: { search: q.search.length, searchSource: q.searchSource, ask: q.ask.length, askSource: q.askSource, fresh: q.fresh.length, freshSource: q.freshSource },
      ingest, retrieval, e2e, load: loadResult, handovers: handoverResult,
      entries: retrieval.flatMap((r) => searchEntries(r)),
    };
    const withTargets = { ...base, targets: evaluateTargets(base) };
    return { ...withTargets, notes: explain(withTargets) };
  } finally {
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  }
}
