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
  /**
   * CPU time (all threads of the process) per question, measured over further passes of the same questions
   * in the warm process (at least CPU_QUESTIONS questions), each in a fresh conversation.
   */
  cpuMsPerQuestion: number;
  /** How many questions the CPU figure is taken over. */
  cpuQuestions: number;
  actions: Record<string, number>;
  rssMb: number;
  peakRssMb: number;
}

/** Enough questions for a steady CPU figure (the 57 public ones about six times). */
const CPU_QUESTIONS = 300;

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
    const passes = Math.max(1, Math.ceil(CPU_QUESTIONS / Math.max(1, opts.questions.length)));
    const cpu0 = process.cpuUsage();
    for (let p = 0; p < passes; p++) {
      for (const [i, text] of opts.questions.entries()) {
        await core.assistant.handle({ channel: "cli", conversationId: `cpu-${p}-${i}`, userId: "bench", isGroup: false, text });
      }
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuQuestions = passes * opts.questions.length;
    return {
      questions: opts.questions.length, startupMs, processReadyMs, rebuilt: builtAt(opts.dataDir) !== before,
      ask: summarize(lat), cpuMsPerQuestion: cpuQuestions ? (cpu.user + cpu.system) / 1000 / cpuQuestions : 0, cpuQuestions,
      actions, rssMb: rssMb(), peakRssMb: maxRssMb(),
    };
  } finally {
    await store.close();
  }
}
