import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadKnowledge } from "../retrieval/load-knowledge.js";

/**
 * Questions for the benchmark. Order of preference: the public eval set (../shared/eval/public.jsonl,
 * or BENCH_PUBLIC_EVAL), the project's own eval set (eval/questions.jsonl), questions made from the
 * FAQ titles of the knowledge folder, and last a built-in list, so a clean clone without ../shared runs.
 */
export const BUILTIN_QUESTIONS = [
  "Wer zahlt, wenn sich ein Helfer beim Arbeitseinsatz für die Gemeinde verletzt?",
  "Sind Ehrenamtliche bei einem Dorffest über die Sammelversicherung versichert?",
  "Was ist das Regionalbudget und wie viel Förderung gibt es?",
  "Wie beantrage ich die Ehrenamtskarte?",
  "Ab wie vielen Stunden bekommt man die Ehrenamtskarte?",
  "Was ist der Unterschied zwischen Ortsgemeinde und Verbandsgemeinde?",
  "Wie hoch ist die Ehrenamtspauschale?",
  "Wie hoch ist die Übungsleiterpauschale?",
  "Gibt es Förderung für einen Dorfladen?",
  "Wie funktioniert eine Mitfahrbank?",
  "Wer ist Rechtsträger beim Bürgerbus?",
  "Was fördert LEADER Moselfranken?",
  "Wie lange dauert die Amtszeit einer Ortsbürgermeisterin?",
  "Zahlt die Unfallkasse auch bei Ratsmitgliedern?",
  "Welche Deckungssummen hat die Sammelversicherung?",
  "Sind private Pkw-Schäden von Ehrenamtlichen versichert?",
  "Wie gewinnen wir junge Leute fürs Ehrenamt im Dorf?",
  "Was ist die Dorfmoderation?",
  "Wo bekomme ich Hilfe bei Spenden und Stiftungen?",
  "Gibt es eine Aufwandsentschädigung für Ortsbürgermeister?",
  "Wer hilft bei der Planung eines Dorffests?",
  "Welche Fristen gibt es für die Dorferneuerung?",
  "Wie erreiche ich das Ehrenamtsbüro?",
  "Kann die Gemeinde einen Verein bei einem kleinen Projekt unterstützen?",
  "Was bedeutet interkommunale Zusammenarbeit für kleine Gemeinden?",
];

/** A question with the knowledge entries that answer it (for source recall). */
export interface LabelledQuestion {
  question: string;
  sources: string[];
}

/** Answerable questions with their expected sources: the public eval set if present, and the project's own. */
export function loadLabelledQuestions(repoRoot: string, publicPath?: string): LabelledQuestion[] {
  const files = [publicPath ?? process.env.BENCH_PUBLIC_EVAL ?? resolve(repoRoot, "../shared/eval/public.jsonl"), resolve(repoRoot, "eval/questions.jsonl")];
  const out: LabelledQuestion[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        const x = JSON.parse(line) as { question?: unknown; expected_action?: unknown; expected_sources?: unknown };
        const sources = Array.isArray(x.expected_sources) ? x.expected_sources.filter((s): s is string => typeof s === "string") : [];
        if (typeof x.question !== "string" || x.expected_action !== "answer" || !sources.length || seen.has(x.question)) continue;
        seen.add(x.question);
        out.push({ question: x.question, sources });
      } catch {
        // a broken line is skipped
      }
    }
  }
  return out;
}

export interface QuerySet {
  /** For the end-to-end `ask` figures: the public eval questions (or the first fallback found). */
  ask: string[];
  askSource: string;
  /** For the retrieval figures: about `target` distinct questions. */
  search: string[];
  searchSource: string;
  /** For source recall: answerable questions with their expected sources. */
  labelled: LabelledQuestion[];
  /**
   * Questions in neither list above (the project's calibration questions): what a process sees before the
   * measured questions, so those are measured the way a running server meets a question it has not seen.
   */
  fresh: string[];
  freshSource: string;
}

function readJsonlQuestions(path: string): string[] {
  if (!existsSync(path)) return [];
  const out: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const q = (JSON.parse(line) as { question?: unknown }).question;
      if (typeof q === "string" && q.trim()) out.push(q.trim());
    } catch {
      // a broken line is skipped; the benchmark needs questions, not a validator
    }
  }
  return out;
}

async function faqQuestions(knowledgeDir: string): Promise<string[]> {
  try {
    const { docs } = await loadKnowledge(knowledgeDir);
    const out: string[] = [];
    for (const d of docs) if (d.faq) out.push(d.faq.question, ...d.faq.alternatives.filter((a) => a.split(/\s+/).length >= 3));
    return out;
  } catch {
    return [];
  }
}

export async function loadQueries(opts: { repoRoot: string; knowledgeDir: string; target?: number; publicPath?: string }): Promise<QuerySet> {
  const target = opts.target ?? 200;
  const publicPath = opts.publicPath ?? process.env.BENCH_PUBLIC_EVAL ?? resolve(opts.repoRoot, "../shared/eval/public.jsonl");
  const pub = readJsonlQuestions(publicPath);
  const own = readJsonlQuestions(resolve(opts.repoRoot, "eval/questions.jsonl"));
  const faq = await faqQuestions(opts.knowledgeDir);

  const named: [string, string[]][] = [
    ["public.jsonl", pub],
    ["eval/questions.jsonl", own],
    ["FAQ-Fragen", faq],
    ["eingebaute Liste", BUILTIN_QUESTIONS],
  ];
  const firstNonEmpty = named.find(([, qs]) => qs.length)!;

  const seen = new Set<string>();
  const search: string[] = [];
  const used: string[] = [];
  for (const [name, qs] of named) {
    if (search.length >= target) break;
    let took = 0;
    for (const q of qs) {
      if (search.length >= target) break;
      if (seen.has(q)) continue;
      seen.add(q);
      search.push(q);
      took++;
    }
    if (took) used.push(`${name} (${took})`);
  }
  const taken = new Set([...search, ...firstNonEmpty[1]]);
  const fresh = [...new Set(readJsonlQuestions(resolve(opts.repoRoot, "eval/calibration.jsonl")))].filter((q) => !taken.has(q));
  return {
    ask: firstNonEmpty[1], askSource: `${firstNonEmpty[0]} (${firstNonEmpty[1].length})`, search, searchSource: used.join(" + "),
    labelled: loadLabelledQuestions(opts.repoRoot, opts.publicPath), fresh, freshSource: `eval/calibration.jsonl (${fresh.length})`,
  };
}
