import { createInterface } from "node:readline";
import { configFromEnvironment } from "./load-env.js";
import { createLogger } from "../logger.js";
import { createCore } from "../app.js";
import { sqliteStore } from "../store/sql-store.js";
import { renderPlain } from "./render-text.js";
import type { Reply } from "../core/types.js";

function toJson(reply: Reply, id?: unknown) {
  return {
    ...(id !== undefined ? { id } : {}),
    action: reply.action,
    text: reply.text,
    sources: reply.sources.map((s) => ({ id: s.id, title: s.title, date: s.date ?? null, url: s.url ?? null, excerpt: s.excerpt })),
    confidence: Number(reply.confidence.toFixed(3)),
    reasons: reply.reasons,
    ...(reply.ticket ? { ticket: reply.ticket.id } : {}),
  };
}

/**
 * npm run ask -- "Frage" | --json "Frage" | --jsonl < questions.jsonl
 * Uses an in-memory store: trying questions here creates no tickets for staff.
 */
async function main() {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const jsonl = args.includes("--jsonl");
  const question = args.filter((a) => !a.startsWith("--")).join(" ");
  const config = configFromEnvironment({}, { needsKnowledge: true });
  const log = createLogger(process.env.LOG_LEVEL ?? "error");
  const store = sqliteStore(":memory:");
  await store.migrate();
  const core = await createCore(config, log, { store, rateLimit: false });
  const ask = (text: string, conversationId: string) =>
    core.assistant.handle({ channel: "cli", conversationId, userId: "cli", isGroup: false, text });

  if (jsonl) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let n = 0;
    for await (const line of rl) {
      if (!line.trim()) continue;
      n++;
      let item: { id?: unknown; question?: unknown; conversation?: unknown };
      try {
        item = JSON.parse(line);
      } catch {
        process.stdout.write(JSON.stringify({ id: null, action: "error", text: `Zeile ${n}: kein gültiges JSON`, sources: [], confidence: 0, reasons: ["input:bad-json"] }) + "\n");
        continue;
      }
      // Each line is its own conversation unless it names one (to test follow-ups).
      const conv = typeof item.conversation === "string" ? item.conversation : `line-${n}`;
      const reply = await ask(typeof item.question === "string" ? item.question : "", conv);
      process.stdout.write(JSON.stringify(toJson(reply, item.id)) + "\n");
    }
  } else {
    if (!question.trim()) {
      process.stderr.write('Aufruf: npm run --silent ask -- "Ihre Frage" [--json] | --jsonl < fragen.jsonl\n');
      process.exitCode = 2;
    } else {
      const reply = await ask(question, "cli-1");
      process.stdout.write((json ? JSON.stringify(toJson(reply)) : renderPlain(reply)) + "\n");
    }
  }
  await core.delivery.noticesSent();
  await core.store.close();
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
