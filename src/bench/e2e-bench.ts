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
   * CPU time (all threads of the process) per question the process has not seen before: CPU_QUESTIONS
   * questions after WARM_QUESTIONS others (JIT and the knowledge side's caches warm, as in a server that has
   * run for a while), each in a fresh conversation. Without such questions: the repeated figure.
   */
  cpuMsPerQuestion: number;
  /**
   * The same on the main thread alone (Linux: /proc/self/task): the rest is V8 optimising hot functions on its
   * background threads, which still happens after several hundred questions. Undefined elsewhere.
   */
  cpuMainMsPerQuestion?: number;
  /** How many questions the CPU figure is taken over, and after how many others. */
  cpuQuestions: number;
  cpuWarmQuestions: number;
  /** CPU per question over further passes of the same (public) questions: every per-word cache already filled. */
  cpuRepeatedMsPerQuestion: number;
  cpuRepeatedQuestions: number;
  actions: Record<string, number>;
  rssMb: number;
  peakRssMb: number;
}

/** Enough questions for a steady CPU figure (the 57 public ones about six times). */
const CPU_QUESTIONS = 300;
/** Questions before the new ones are measured: V8 has optimised the hot code after several hundred. */
const WARM_QUESTIONS = 600;

function builtAt(dataDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(indexPaths(dataDir).manifest, "utf8")) as { builtAt?: string }).builtAt;
  } catch {
    return undefined;
  }
}

/**
 * CPU time of this process's main thread in ms, from /proc (ticks of 10 ms: over 300 questions that is ±0.03 ms
 * per question); undefined where /proc is missing.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * `npm run ask` in offline mode, question after question: the same core the CLI builds (in-memory SQLite,
 * no rate limit, no LLM key whatever the environment says), each question its own conversation.
 */
export async function runE2eBench(opts: { knowledgeDir: string; dataDir: string; promptsDir: string; questions: string[]; fresh?: string[] }): Promise<E2eResult> {
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
    let mainMs: number | undefined;
    const cpuOf = async (questions: string[], tag: string) => {
      const cpu0 = process.cpuUsage();
      const main0 = mainThreadCpuMs();
      for (const [i, text] of questions.entries()) await core.assistant.handle({ channel: "cli", conversationId: `${tag}-${i}`, userId: "bench", isGroup: false, text });
      const cpu = process.cpuUsage(cpu0);
      const main1 = mainThreadCpuMs();
      mainMs = main0 !== undefined && main1 !== undefined && questions.length ? (main1 - main0) / questions.length : undefined;
      return questions.length ? (cpu.user + cpu.system) / 1000 / questions.length : 0;
    };
    const passes = Math.max(1, Math.ceil(CPU_QUESTIONS / Math.max(1, opts.questions.length)));
    const repeated = Array.from({ length: passes }, () => opts.questions).flat();
    const cpuRepeatedMsPerQuestion = await cpuOf(repeated, "repeat");
    // New questions: a smaller split when the project has fewer than WARM_QUESTIONS + CPU_QUESTIONS of them.
    // Spread over the whole file (it is grouped by writing task: long stories, dialect, short FAQ questions),
    // every third question measured and the others before it; fewer when the project has fewer questions.
    const all = opts.fresh ?? [];
    const take = Math.min(all.length, WARM_QUESTIONS + CPU_QUESTIONS);
    const spread = Array.from({ length: take }, (_, i) => all[Math.floor((i * all.length) / take)]);
    const fresh = { warm: spread.filter((_, i) => i % 3 !== 2), measured: spread.filter((_, i) => i % 3 === 2) };
    const measured = fresh.measured.length >= 30 ? fresh.measured.length : 0;
    const warm = measured ? fresh.warm.length : 0;
    if (measured) await cpuOf(fresh.warm, "warm");
    const cpuMsPerQuestion = measured ? await cpuOf(fresh.measured, "new") : cpuRepeatedMsPerQuestion;
    const cpuMainMsPerQuestion = mainMs;
    return {
      questions: opts.questions.length, startupMs, processReadyMs, rebuilt: builtAt(opts.dataDir) !== before,
      ask: summarize(lat), cpuMsPerQuestion, cpuMainMsPerQuestion, cpuQuestions: measured || repeated.length, cpuWarmQuestions: measured ? warm : 0,
      cpuRepeatedMsPerQuestion, cpuRepeatedQuestions: repeated.length,
      actions, rssMb: rssMb(), peakRssMb: maxRssMb(),
    };
  } finally {
    await store.close();
  }
}
