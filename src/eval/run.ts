import type { Core } from "../app.js";
import { outcome, type Outcome } from "./scoring.js";
import type { EvalItem } from "./dataset.js";
import { collectRows } from "./collect.js";
import { riskAt, riskTable, type Decision, type RiskRow } from "./risk-coverage.js";

export interface EvalSummary {
  n: number;
  pass: number;
  rate: number;
  answersGiven: number;
  right: number;
  answerable: number;
  precision: number;
  coverage: number;
  wrong: number;
  missed: number;
  /** Individual cases (kind contains "individual") that were answered: must stay 0. */
  individualAnswered: number;
  byAction: Map<string, { pass: number; n: number }>;
  byKind: Map<string, { pass: number; n: number }>;
  recallHits: number;
  recallN: number;
  latenciesMs: number[];
  failures: { id: string; outcome: Outcome; expected: string; action: string; confidence: number; question: string }[];
  /**
   * Wrong answers by cause, as sums (the held-out lines are never read one by one): a message for staff (or to be
   * declined) answered, another entry shown, the expected entry shown without the expected words, no expected entry
   * named in the labels.
   */
  wrongBy: Record<WrongCause, number>;
  /** Messages the Förder-Finder answered (reason "funding_finder"), counted apart: a list of programmes, not a passage. */
  funding: { n: number; pass: number; wrong: number; ids: string[] };
}

export type WrongCause = "notForAnswer" | "otherEntry" | "entryWithoutWords" | "unlabelled";

/** Why an answer counted as wrong (see `EvalSummary.wrongBy`); entries are compared by id ("faq-x.md" = "faq-x"). */
export function wrongCause(it: EvalItem, shownSources: string[]): WrongCause {
  if (it.expected_action !== "answer") return "notForAnswer";
  const expected = (it.expected_sources ?? []).map((x) => x.replace(/\.md$/, ""));
  if (!expected.length) return "unlabelled";
  const shown = shownSources.map((x) => x.split("#")[0]);
  return expected.some((x) => shown.includes(x)) ? "entryWithoutWords" : "otherEntry";
}

/**
 * Runs labelled messages through the assistant end to end and counts them as the judge does
 * (shared/eval/score.py): pass, wrong, missed, precision and coverage. Lines with the same
 * `conversation` run in one conversation (follow-ups), all others on their own.
 */
export async function runEval(core: Core, items: EvalItem[]): Promise<EvalSummary> {
  const s: EvalSummary = {
    n: 0, pass: 0, rate: 0, answersGiven: 0, right: 0, answerable: 0, precision: 1, coverage: 1, wrong: 0, missed: 0,
    individualAnswered: 0, byAction: new Map(), byKind: new Map(), recallHits: 0, recallN: 0, latenciesMs: [], failures: [],
    funding: { n: 0, pass: 0, wrong: 0, ids: [] }, wrongBy: { notForAnswer: 0, otherEntry: 0, entryWithoutWords: 0, unlabelled: 0 },
  };
  for (const [i, it] of items.entries()) {
    const started = performance.now();
    const reply = await core.assistant.handle({
      channel: "cli", conversationId: it.conversation ?? `eval-${i}`, userId: `eval-${it.conversation ?? i}`, isGroup: false, text: it.question,
    });
    s.latenciesMs.push(performance.now() - started);
    const o = outcome(it.expected_action, it.expected_facts ?? [], reply);
    s.n++;
    if (o === "pass") s.pass++;
    if (o === "wrong") {
      s.wrong++;
      if (reply.action === "answer") s.wrongBy[wrongCause(it, reply.sources.map((x) => x.id))]++;
    }
    if (o === "missed") s.missed++;
    if (reply.action === "answer") s.answersGiven++;
    if (reply.action === "answer" && o === "pass") s.right++;
    if (it.expected_action === "answer") s.answerable++;
    if (reply.action === "answer" && /individual/.test(it.kind ?? "")) s.individualAnswered++;
    for (const [map, key] of [[s.byAction, it.expected_action], [s.byKind, it.kind ?? "-"]] as const) {
      const e = map.get(key) ?? { pass: 0, n: 0 };
      e.n++;
      if (o === "pass") e.pass++;
      map.set(key, e);
    }
    if (reply.reasons.includes("funding_finder")) {
      s.funding.n++;
      s.funding.ids.push(it.id);
      if (o === "pass") s.funding.pass++;
      if (o === "wrong") s.funding.wrong++;
    }
    if (it.expected_sources?.length) {
      s.recallN++;
      const got = reply.sources.slice(0, 5).map((x) => x.id.split("#")[0]);
      // Sources are named by entry id or by file name ("faq-….md"), as in ../shared/eval.
      if (it.expected_sources.some((x) => got.includes(x.replace(/\.md$/, "")))) s.recallHits++;
    }
    if (o !== "pass") s.failures.push({ id: it.id, outcome: o, expected: it.expected_action, action: reply.action, confidence: reply.confidence, question: it.question });
  }
  s.rate = s.n ? s.pass / s.n : 0;
  s.precision = s.answersGiven ? s.right / s.answersGiven : 1;
  s.coverage = s.answerable ? s.right / s.answerable : 1;
  return s;
}

/** Risk–coverage of the confidence on these items: each question's best candidate, answered above a threshold. */
export async function riskCoverage(core: Core, items: EvalItem[], threshold: number): Promise<RiskRow[]> {
  const rows = await collectRows(items, core.understander, core.planner);
  const ds: Decision[] = rows.filter((r) => r.candidates.length).map((r) => {
    const best = r.candidates.map((c) => ({ p: core.planner.probability(c.x), y: c.y })).sort((a, b) => b.p - a.p)[0];
    return { answerable: r.answerable, p: best.p, right: best.y === 1 };
  });
  const cost = core.planner.costWrongVsMissed;
  return [...riskTable(ds, cost), riskAt(ds, threshold, cost)].sort((a, b) => a.threshold - b.threshold)
    .filter((r, i, a) => i === 0 || r.threshold !== a[i - 1].threshold);
}
