import { configFromEnvironment } from "./load-env.js";
import { createLogger } from "../logger.js";
import { createCore } from "../app.js";
import { SqliteStore } from "../store/sqlite-store.js";
import { outcome, type Outcome } from "../eval/scoring.js";
import { HOLDOUT_FILE, readItems } from "../eval/dataset.js";
import { collectRows } from "../eval/collect.js";
import { formatRiskTable, riskAt, riskTable, type Decision } from "../eval/risk-coverage.js";

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)} %` : "–");
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0;
}

export interface EvalSummary {
  n: number;
  pass: number;
  answersGiven: number;
  right: number;
  answerable: number;
  precision: number;
  coverage: number;
  wrong: number;
  missed: number;
  individualAnswered: number;
}

/**
 * npm run eval [-- file.jsonl] [--verbose] [--json]: the judge's figures (pass, precision, coverage, wrong,
 * missed) end to end through the assistant, per action and kind, recall@5 of expected sources, latency,
 * and the risk–coverage table of the calibrated confidence. Default file: the held-out part.
 */
async function main() {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--")) ?? HOLDOUT_FILE;
  const verbose = args.includes("--verbose");
  const items = readItems(file);
  const config = configFromEnvironment();
  const store = new SqliteStore(":memory:");
  await store.migrate();
  const core = await createCore(config, createLogger("error"), { store, rateLimit: false });

  const byAction = new Map<string, { pass: number; n: number }>();
  const byKind = new Map<string, { pass: number; n: number }>();
  const sum: EvalSummary = { n: 0, pass: 0, answersGiven: 0, right: 0, answerable: 0, precision: 0, coverage: 0, wrong: 0, missed: 0, individualAnswered: 0 };
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
    const o: Outcome = outcome(it.expected_action, it.expected_facts ?? [], reply);
    sum.n++;
    if (o === "pass") sum.pass++;
    if (o === "wrong") sum.wrong++;
    if (o === "missed") sum.missed++;
    if (reply.action === "answer") sum.answersGiven++;
    if (reply.action === "answer" && o === "pass") sum.right++;
    if (it.expected_action === "answer") sum.answerable++;
    if (reply.action === "answer" && /individual/.test(it.kind ?? "")) sum.individualAnswered++;
    for (const [map, key] of [[byAction, it.expected_action], [byKind, it.kind ?? "-"]] as const) {
      const e = map.get(key) ?? { pass: 0, n: 0 };
      e.n++;
      if (o === "pass") e.pass++;
      map.set(key, e);
    }
    if (it.expected_sources?.length) {
      recallN++;
      const got = reply.sources.slice(0, 5).map((s) => s.id.split("#")[0]);
      if (it.expected_sources.some((x) => got.includes(x))) recallHits++;
    }
    if (o !== "pass") failures.push(`  ${o} ${it.id} [${it.expected_action}→${reply.action} ${reply.confidence.toFixed(2)}] ${it.question.slice(0, 100)}`);
  }
  sum.precision = sum.answersGiven ? sum.right / sum.answersGiven : 1;
  sum.coverage = sum.answerable ? sum.right / sum.answerable : 1;

  // Risk–coverage of the confidence on this file: each question's best candidate, answered above a threshold.
  const rows = await collectRows(items, core.understander, core.planner);
  const ds: Decision[] = rows.filter((r) => r.candidates.length).map((r) => {
    const best = r.candidates.map((c) => ({ p: core.planner.probability(c.x), y: c.y })).sort((a, b) => b.p - a.p)[0];
    return { answerable: r.answerable, p: best.p, right: best.y === 1 };
  });
  const threshold = config.answerMinConfidence ?? core.planner.threshold;
  const cost = core.planner.costWrongVsMissed;
  const table = [...riskTable(ds, cost), riskAt(ds, threshold, cost)].sort((a, b) => a.threshold - b.threshold)
    .filter((r, i, a) => i === 0 || r.threshold !== a[i - 1].threshold);

  if (args.includes("--json")) {
    process.stdout.write(JSON.stringify({ file, ...sum, threshold, riskCoverage: table }) + "\n");
    await store.close();
    return;
  }
  const out: string[] = [`Auswertung: ${file} (${items.length} Fragen, ${config.llm ? "mit LLM" : "offline"})`];
  out.push(`Bestanden ${sum.pass}/${sum.n} = ${pct(sum.pass, sum.n)} · Präzision ${sum.precision.toFixed(2)} (${sum.answersGiven} Antworten) · Abdeckung ${sum.coverage.toFixed(2)} · falsch ${sum.wrong} · verpasst ${sum.missed} · Einzelfälle beantwortet ${sum.individualAnswered}`);
  for (const [k, v] of [...byAction].sort()) out.push(`  ${k.padEnd(10)} ${String(v.pass).padStart(3)}/${v.n}  ${pct(v.pass, v.n)}`);
  out.push(`Nach Art: ${[...byKind].sort().map(([k, v]) => `${k} ${v.pass}/${v.n}`).join(", ")}`);
  out.push(`Recall@5 erwarteter Quellen: ${recallHits}/${recallN} = ${pct(recallHits, recallN)}`);
  out.push(`Latenz je Frage: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms`);
  out.push(`Risiko–Abdeckung je Teilfrage (gewählte Schwelle ${threshold.toFixed(2)}):`, formatRiskTable(table, threshold));
  if (failures.length) out.push(`Nicht bestanden (${failures.length}):`, ...(verbose ? failures : failures.slice(0, 25)));
  process.stdout.write(out.join("\n") + "\n");
  await store.close();
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
