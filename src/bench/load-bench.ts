import pino from "pino";
import { loadConfig } from "../config.js";
import { startOrtslotse } from "../start.js";
import { startFakeTelegram } from "./fake-telegram.js";
import { summarize, type LatencyStats } from "./stats.js";

export interface LoadResult {
  mayors: number;
  questionsPerMayor: number;
  questions: number;
  answered: number;
  /** Questions whose reply did not come within the time limit. */
  missing: number;
  /** Chats that got more sendMessage calls than questions (a reply sent twice, or in parts). */
  chatsWithExtraMessages: number;
  /** Every question got exactly one reply message. */
  exactlyOne: boolean;
  wallMs: number;
  /** Answered questions per second over the whole run. */
  throughput: number;
  latency: LatencyStats;
  peakRssMb?: number;
}

/** Ortslotse with Telegram in polling mode against the local fake Bot API; used inside a bench worker. */
export async function startTelegramApp(opts: { knowledgeDir: string; dataDir: string; promptsDir: string; apiRoot: string; token: string; staffChatId?: string }) {
  const config = loadConfig({
    DATA_DIR: opts.dataDir, KNOWLEDGE_DIR: opts.knowledgeDir, PROMPTS_DIR: opts.promptsDir, LOG_LEVEL: "silent",
    PORT: "0", HOST: "127.0.0.1", TELEGRAM_BOT_TOKEN: opts.token, TELEGRAM_API_ROOT: opts.apiRoot,
    ...(opts.staffChatId ? { TELEGRAM_STAFF_CHAT_ID: opts.staffChatId } : {}),
  });
  return startOrtslotse(config, pino({ level: "silent" }));
}

/**
 * Issue #8's load test as a measurement: `mayors` people write to the bot at the same time, each
 * sending `perMayor` questions one after the other (the next once the answer is there), through the
 * real grammY polling loop against a local Bot API server. Latency is from the update being offered
 * to the bot until its sendMessage arrives.
 */
export async function runLoadBench(opts: {
  mayors: number;
  perMayor: number;
  questions: string[];
  timeoutMs?: number;
  /** Starts Ortslotse against the fake API (in a worker process in the bench); returns how to stop it. */
  start: (apiRoot: string, token: string) => Promise<{ stop: () => Promise<{ peakRssMb?: number }> }>;
}): Promise<LoadResult> {
  const api = await startFakeTelegram();
  let app: Awaited<ReturnType<typeof opts.start>> | undefined;
  try {
    app = await opts.start(api.apiRoot, api.token);
    const latencies: number[] = [];
    let missing = 0;
    const firstChat = 700_000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: opts.mayors }, async (_, m) => {
        const chatId = firstChat + m;
        for (let j = 0; j < opts.perMayor; j++) {
          const q = opts.questions[(m * opts.perMayor + j) % opts.questions.length];
          const t = performance.now();
          if (await api.ask(chatId, q, opts.timeoutMs ?? 30_000)) latencies.push(performance.now() - t);
          else missing++;
        }
      }),
    );
    const wallMs = performance.now() - t0;
    // Late or duplicate replies would show up now.
    await new Promise((r) => setTimeout(r, 300));
    let extra = 0;
    for (let m = 0; m < opts.mayors; m++) if (api.sentTo(firstChat + m) > opts.perMayor) extra++;
    const stopped = await app.stop();
    app = undefined;
    const questions = opts.mayors * opts.perMayor;
    return {
      mayors: opts.mayors, questionsPerMayor: opts.perMayor, questions, answered: latencies.length, missing,
      chatsWithExtraMessages: extra, exactlyOne: missing === 0 && extra === 0, wallMs,
      throughput: wallMs > 0 ? (1000 * latencies.length) / wallMs : 0, latency: summarize(latencies), peakRssMb: stopped.peakRssMb,
    };
  } finally {
    await app?.stop().catch(() => undefined);
    await api.close();
  }
}
