import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { loadConfig } from "../config.js";
import { startOrtslotse } from "../start.js";
import { startFakeTelegram, textUpdate } from "../../test/support/telegram-api.js";

const QUESTIONS = [
  "Sind Helfer beim Arbeitseinsatz unfallversichert?",
  "Was sind Ehrenamtliche Bürgerprojekte?",
  "Welche Rechtsform passt für einen Dorfladen?",
  "Braucht ein Bürgerbus eine Genehmigung?",
  "Wie hoch ist die Ehrenamtspauschale?",
  "Was ist das Regionalbudget?",
  "Welche Windkraftanlagen sind in der VG Ruwer geplant?",
];

export interface LoadResult {
  mayors: number;
  questionsEach: number;
  questions: number;
  replies: number;
  chatsWithWrongCount: number;
  seconds: number;
  throughputPerSec: number;
  p50Ms: number;
  p95Ms: number;
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0;
};

/**
 * Many mayors at once through the real Telegram channel: the app polls a local fake Bot API on
 * loopback, every mayor sends `questionsEach` questions, and we count replies per chat. Bounded in
 * count and time; no traffic leaves this machine.
 */
export async function runTelegramLoad(opts: { mayors?: number; questionsEach?: number; knowledgeDir?: string; timeoutMs?: number } = {}): Promise<LoadResult> {
  const mayors = opts.mayors ?? 200;
  const each = opts.questionsEach ?? 5;
  const api = await startFakeTelegram({ maxPollMs: 200 });
  const dataDir = mkdtempSync(join(tmpdir(), "ortslotse-load-"));
  const config = loadConfig({
    DATA_DIR: dataDir, KNOWLEDGE_DIR: opts.knowledgeDir ?? "knowledge", PORT: "0", HOST: "127.0.0.1",
    TELEGRAM_BOT_TOKEN: "123:TEST", TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: "silent",
  });
  const app = await startOrtslotse(config, pino({ level: "silent" }));
  try {
    const sentAt = new Map<string, number[]>();
    const started = performance.now();
    const updates = [];
    for (let i = 0; i < each; i++) {
      for (let m = 0; m < mayors; m++) {
        const id = 100_000 + m;
        updates.push(textUpdate(QUESTIONS[(m + i) % QUESTIONS.length], { from: { id, first_name: `OB ${m}` }, chatId: id }));
      }
    }
    for (const u of updates) {
      const chat = String(u.message.chat.id);
      const list = sentAt.get(chat) ?? [];
      list.push(Date.now()); // the fake Bot API stamps calls with Date.now()
      sentAt.set(chat, list);
    }
    api.pushUpdate(...updates);
    const total = mayors * each;
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    const answered = () => api.sent().filter((c) => Number(c.body.chat_id) >= 100_000);
    while (answered().length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - started) / 1000;
    // Let stragglers (duplicates, if any) arrive before counting.
    await new Promise((r) => setTimeout(r, 300));
    const replies = answered();
    const byChat = new Map<string, number[]>();
    for (const c of replies) {
      const k = String(c.body.chat_id);
      byChat.set(k, [...(byChat.get(k) ?? []), c.at]);
    }
    const latencies: number[] = [];
    let wrong = 0;
    for (const [chat, pushed] of sentAt) {
      const got = (byChat.get(chat) ?? []).sort((a, b) => a - b);
      if (got.length !== pushed.length) wrong++;
      // Replies of one chat come in order (sequentialized per chat): pair them with the questions.
      got.forEach((at, i) => latencies.push(at - (pushed[i] ?? pushed[0])));
    }
    return {
      mayors, questionsEach: each, questions: total, replies: replies.length, chatsWithWrongCount: wrong,
      seconds: Number(seconds.toFixed(2)), throughputPerSec: Number((replies.length / seconds).toFixed(1)),
      p50Ms: Math.round(q(latencies, 0.5)), p95Ms: Math.round(q(latencies, 0.95)),
    };
  } finally {
    await app.stop();
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const num = (name: string, d: number) => Number(args[args.indexOf(name) + 1] ?? d) || d;
  runTelegramLoad({ mayors: args.includes("--mayors") ? num("--mayors", 200) : 200, questionsEach: args.includes("--each") ? num("--each", 5) : 5 })
    .then((r) => {
      if (args.includes("--json")) process.stdout.write(JSON.stringify(r) + "\n");
      else
        process.stdout.write(
          `Lasttest Telegram (lokaler Bot-API-Server): ${r.mayors} Ortsbürgermeister × ${r.questionsEach} Fragen = ${r.questions}\n` +
            `  Antworten: ${r.replies} (Chats mit falscher Anzahl: ${r.chatsWithWrongCount})\n` +
            `  Dauer: ${r.seconds} s, Durchsatz: ${r.throughputPerSec} Antworten/s, Latenz p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms\n`,
        );
      process.exit(r.chatsWithWrongCount === 0 ? 0 : 1);
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    });
}
