import { readFileSync } from "node:fs";
import { configFromEnvironment } from "./load-env.js";
import { createLogger } from "../logger.js";
import { createCore } from "../app.js";
import { SqliteStore } from "../store/sqlite-store.js";
import { passes } from "./eval-scoring.js";

interface EvalItem {
  id: string;
  question: string;
  expected_action: string;
  expected_facts?: string[];
  expected_sources?: string[];
  conversation?: string;
  kind?: string;
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)} %` : "–");
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0;
}

/** npm run eval [-- file.jsonl] [--verbose]: pass rates per action, recall@5 of expected sources, latency. */
async function main() {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--")) ?? "eval/questions.jsonl";
  const verbose = args.includes("--verbose");
  const items = readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalItem);
  const config = configFromEnvironment();
  const store = new SqliteStore(":memory:");
  await store.migrate();
  const core = await createCore(config, createLogger("error"), { store, rateLimit: false });

  const byAction = new Map<string, { pass: number; n: number }>();
  const byKind = new Map<string, { pass: number; n: number }>();
  let recallHits = 0;
  let recallN = 0;
  const latencies: number[] = [];
  const failures: string[] = [];
  for (const [i, it] of items.entries()) {
    const started = performance.now();
    const reply = await core.assistant.handle({
      channel: "cli", conversationId: it.conversation ?? `eval-${i}`, userId: "eval", isGroup: false, text: it.question,
    });
    latencies.push(performance.now() - started);
    const ok = passes(it.expected_action, it.expected_facts ?? [], reply);
    for (const [map, key] of [[byAction, it.expected_action], [byKind, it.kind ?? "-"]] as const) {
      const e = map.get(key) ?? { pass: 0, n: 0 };
      e.n++;
      if (ok) e.pass++;
      map.set(key, e);
    }
    if (it.expected_sources?.length) {
      recallN++;
      const got = reply.sources.slice(0, 5).map((s) => s.id.split("#")[0]);
      if (it.expected_sources.some((x) => got.includes(x))) recallHits++;
    }
    if (!ok) failures.push(`  ${it.id} [${it.expected_action}→${reply.action} ${reply.confidence.toFixed(2)}] ${it.question.slice(0, 90)}`);
  }
  const total = [...byAction.values()].reduce((a, b) => ({ pass: a.pass + b.pass, n: a.n + b.n }), { pass: 0, n: 0 });
  const out: string[] = [`Auswertung: ${file} (${items.length} Fragen, ${config.llm ? "mit LLM" : "offline"})`];
  for (const [k, v] of [...byAction].sort()) out.push(`  ${k.padEnd(10)} ${String(v.pass).padStart(3)}/${v.n}  ${pct(v.pass, v.n)}`);
  out.push(`  gesamt     ${String(total.pass).padStart(3)}/${total.n}  ${pct(total.pass, total.n)}`);
  out.push(`Nach Art: ${[...byKind].sort().map(([k, v]) => `${k} ${v.pass}/${v.n}`).join(", ")}`);
  out.push(`Recall@5 erwarteter Quellen: ${recallHits}/${recallN} = ${pct(recallHits, recallN)}`);
  out.push(`Latenz je Frage: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms`);
  if (failures.length) out.push(`Nicht bestanden (${failures.length}):`, ...(verbose ? failures : failures.slice(0, 25)));
  process.stdout.write(out.join("\n") + "\n");
  await store.close();
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
