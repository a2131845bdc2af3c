import { readFileSync } from "node:fs";
import pino from "pino";
import { createCore } from "../app.js";
import { loadConfig } from "../config.js";
import { indexPaths } from "../retrieval/index-files.js";
import { sqliteStore } from "../store/sql-store.js";
import { maxRssMb, rssMb } from "./memory.js";
import { summarize, timeEach, type LatencyStats } from "./stats.js";

export interface E2eResult {
  questions: number;
  /** createCore on a DATA_DIR whose index matches the knowledge (store → staleness check → index load → assistant). */
  startupMs: number;
  /** From this process's start (Node, tsx, imports) until the core was ready. */
  processReadyMs: number;
  /** True when createCore rebuilt the index after all (it should not: the index was built beforehand). */
  rebuilt: boolean;
  ask: LatencyStats;
  actions: Record<string, number>;
  rssMb: number;
  peakRssMb: number;
}

function builtAt(dataDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(indexPaths(dataDir).manifest, "utf8")) as { builtAt?: string }).builtAt;
  } catch {
    return undefined;
  }
}

/**
 * `npm run ask` in offline mode, question after question: the same core the CLI builds (in-memory SQLite,
 * no rate limit, no LLM key whatever the environment says), each question its own conversation.
 */
export async function runE2eBench(opts: { knowledgeDir: string; dataDir: string; promptsDir: string; questions: string[] }): Promise<E2eResult> {
  const config = loadConfig({ DATA_DIR: opts.dataDir, KNOWLEDGE_DIR: opts.knowledgeDir, PROMPTS_DIR: opts.promptsDir, LOG_LEVEL: "silent" });
  const before = builtAt(opts.dataDir);
  const t = performance.now();
  const store = sqliteStore(":memory:");
  await store.migrate();
  const core = await createCore(config, pino({ level: "silent" }), { store, rateLimit: false });
  const startupMs = performance.now() - t;
  const processReadyMs = performance.now();
  const actions: Record<string, number> = {};
  try {
    // One question to warm up, as a running server would be.
    await core.assistant.handle({ channel: "cli", conversationId: "warmup", userId: "bench", isGroup: false, text: "Wie beantrage ich die Ehrenamtskarte?" });
    const lat = await timeEach(opts.questions, async (text, i) => {
      const reply = await core.assistant.handle({ channel: "cli", conversationId: `bench-${i}`, userId: "bench", isGroup: false, text });
      actions[reply.action] = (actions[reply.action] ?? 0) + 1;
    });
    return {
      questions: opts.questions.length, startupMs, processReadyMs, rebuilt: builtAt(opts.dataDir) !== before,
      ask: summarize(lat), actions, rssMb: rssMb(), peakRssMb: maxRssMb(),
    };
  } finally {
    await store.close();
  }
}
