import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LANGUAGE_DIR } from "../language/resources.js";
import { terms, words } from "../retrieval/german-text.js";
import type { HybridRetriever } from "../retrieval/hybrid-retriever.js";

/**
 * Labelled questions as evidence for the confidence: an entry whose text was the right answer to a question
 * much like the mayor's is likelier right again; an entry that came up for a question much like it that the
 * knowledge does not answer ("Wie viel hat die Provinzial-Stiftung 2025 verteilt?" → the Sparkasse's figure)
 * is likelier wrong again. Lexical features cannot see that difference; the labelled questions can.
 * Written by `npm run calibrate` from the calibration part only (language/examples.json), so the held-out
 * questions stay unseen.
 */
export interface Example {
  /** The labelled message's id (calibration leaves out the examples of the fold it predicts). */
  id: string;
  /** The question as asked (one part of a message with two questions). */
  text: string;
  /** Entries whose shown text answered it ("id@content hash": an edited entry starts without examples). */
  right: string[];
  /** Entries that came up first for it although the knowledge does not answer it (same form). */
  wrong: string[];
  /** With right entries: the labelled facts, and how many of them the right answer showed. */
  facts?: string[];
  need?: number;
}

/** An entry as the knowledge has it now: its version ("id@content hash") and its passages' texts (read when needed). */
export interface CurrentEntry {
  version: string;
  texts(): string[];
}

/**
 * Per question term (stem): how many labelled candidate passages lacking it were right and how many wrong,
 * and the share of right ones among all candidates. In the labelled data a passage lacking "gema", "haftet" or
 * "ehrennadel" was never right; one lacking "steht" or "laut" (question words the knowledge does not use) was
 * right as often as any. IDF from the knowledge cannot tell these apart: both kinds are rare there.
 */
export interface AbsentTermCounts {
  prior: number;
  counts: Record<string, [right: number, wrong: number]>;
}

export interface ExamplesFile {
  fittedOn: { command: string; files: string[]; examples: number };
  examples: Example[];
  absentTerms?: AbsentTermCounts;
}

export const EXAMPLES_FILE = join(LANGUAGE_DIR, "examples.json");

/** How close two questions are and which entries each side points to. */
export interface Evidence {
  /** Largest similarity (0–1) to a question this entry answered. */
  right: number;
  /** Largest similarity (0–1) to a question this entry came up for but did not answer. */
  wrong: number;
  /**
   * Share of the question's weight in words that neither the entry nor any question it answered uses (0–1;
   * NaN without the question's terms). The questions an entry answered bring the words people use for it
   * ("hervorgegangen" for "entstand"); a near miss brings a word none of them used ("E-Mail", "Jubiläum").
   */
  novel: number;
  /**
   * The entry's share of the nearest labelled questions (the 5 most similar, weighted by similarity; 0–1): how
   * many of the questions most like this one it answered. The single closest example can be a near miss worded
   * like the question; the neighbourhood says whether questions like it go to this entry, to another one or to
   * staff.
   */
  vote: number;
}

/** A question's content terms and those of them the candidate entry's own text does not use. */
export interface AskTerms {
  terms: string[];
  absent: string[];
}

type Vector = Map<string, number>;

/**
 * Words as typed and their stems without function words ("Mitfahrbänke" meets "Mitfahrbank", "2025" stays
 * apart from "2026"); three characters or more.
 */
function tokens(text: string): string[] {
  return [...words(text), ...terms(text).map((t) => `~${t}`)].filter((w) => w.length > 2);
}

/** Examples made from an entry's own question and alternatives (not labelled messages): their id prefix. */
export const PHRASING_PREFIX = "phrasing:";

/**
 * An entry's own question counts as an example only for a message worded like it (TF-IDF cosine): sharing the
 * topic's words is what the near-miss questions do too. Measured in December 2026 (docs/auswertung-verlauf.md):
 * without a floor the calibration's out-of-fold cost rose from 1086 to 1133; at 0.5 it was 1111 while
 * questions asked just as an entry puts it were answered again (public set 46 → 54 of 57).
 */
const PHRASING_MIN_SIMILARITY = 0.5;

/**
 * How many nearest labelled questions vote (`Evidence.vote`). Measured in December 2026 (docs/auswertung-verlauf.md):
 * out-of-fold cost 1135 without the vote, 1024 / 1016 / 1008 / 1034 with 3 / 4 / 5 / 7 neighbours.
 */
const VOTE_NEIGHBOURS = 5;

/**
 * How many candidates' worth of the overall share a term's counts are smoothed towards: a term lacking in one
 * wrong candidate says little. Measured in December 2026 (docs/auswertung-verlauf.md): out-of-fold cost at 0.75
 * 1249 without the feature, 1230 / 1226 / 1244 with 2 / 5 / 20.
 */
const ABSENT_PRIOR_WEIGHT = 5;

/**
 * An FAQ entry's own question and alternatives as examples it answers. The labelled questions were written
 * to avoid the entry's wording; without these a question asked just as the entry puts it looked unlike every
 * example of its entry.
 */
export function phrasingExamples(retriever: HybridRetriever): Example[] {
  // Keyword alternatives ("sirzenich dorftreff") prove little on their own, as in the search's phrasing
  // match: "Gibt es Geld für einen Dorftreff?" is not asking about Sirzenich. A phrasing written as a question
  // is a whole question even with two content words ("Wie hoch ist die Ehrenamtspauschale?").
  const enough = (text: string) => terms(text).length >= (/\?\s*$/.test(text) ? 2 : 3);
  const faqChunk = new Map(retriever.chunks.filter((c) => c.meta.kind === "faq").map((c) => [c.meta.docId, c]));
  return retriever.faqPhrasings().flatMap((f): Example[] => {
    const chunk = faqChunk.get(f.docId);
    if (!chunk) return [];
    const entry = retriever.entryVersion(chunk);
    return f.phrasings.flatMap((text, i) => (enough(text) ? [{ id: `${PHRASING_PREFIX}${entry}#${i}`, text, right: [entry], wrong: [] }] : []));
  }).concat(newsletterHeadings(retriever, enough));
}

/**
 * A newsletter section's heading is its own question or title ("Recht: Sind Ersthelfer am Defibrillator versichert?"),
 * as an FAQ's phrasings are: without it a freshly uploaded issue had no example at all and was judged by the model
 * without examples, which stays below the threshold even for the heading asked word for word (user test). The
 * rubric before a colon ("Recht:", "Aus der Praxis:") is left out.
 */
function newsletterHeadings(retriever: HybridRetriever, enough: (text: string) => boolean): Example[] {
  return retriever.chunks.filter((c) => c.meta.kind === "newsletter" && c.meta.section).flatMap((c) => {
    const text = String(c.meta.section).replace(/^[^:]{1,30}:\s*/, "");
    const entry = retriever.entryVersion(c);
    return enough(text) ? [{ id: `${PHRASING_PREFIX}${entry}#h`, text, right: [entry], wrong: [] }] : [];
  });
}

export class ExampleMemory {
  private df = new Map<string, number>();
  private phrasing: boolean[];
  /** Per token: the examples that have it, with its weight there (a question touches only its own tokens' lists). */
  private postings = new Map<string, { examples: Int32Array; weights: Float64Array }>();
  /** Per entry: the examples that name it right or wrong. */
  private byEntry = new Map<string, { right: number[]; wrong: number[] }>();
  /** Per example: its content terms (stems), for the words an entry's questions use. */
  private exampleTerms: Set<string>[];

  constructor(readonly examples: Example[], readonly absentTerms?: AbsentTermCounts) {
    this.phrasing = examples.map((e) => e.id.startsWith(PHRASING_PREFIX));
    this.exampleTerms = examples.map((e) => new Set(terms(e.text)));
    for (const e of examples) for (const t of new Set(tokens(e.text))) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    // Collected as lists, then kept as typed arrays: the scoring loop below runs over thousands of them per question.
    const lists = new Map<string, { example: number; weight: number }[]>();
    examples.forEach((e, i) => {
      for (const [t, weight] of this.vector(e.text)) {
        let list = lists.get(t);
        if (!list) lists.set(t, (list = []));
        list.push({ example: i, weight });
      }
    });
    for (const [t, list] of lists) {
      this.postings.set(t, { examples: Int32Array.from(list, (p) => p.example), weights: Float64Array.from(list, (p) => p.weight) });
    }
    examples.forEach((e, i) => {
      for (const [side, ids] of [["right", e.right], ["wrong", e.wrong]] as const) {
        for (const id of new Set(ids)) {
          let slot = this.byEntry.get(id);
          if (!slot) this.byEntry.set(id, (slot = { right: [], wrong: [] }));
          slot[side].push(i);
        }
      }
    });
  }

  /** Whether a labelled question (not only the entry's own phrasings) names this entry: false for new content. */
  labelled(entryId: string): boolean {
    const slot = this.byEntry.get(entryId);
    return Boolean(slot && [...slot.right, ...slot.wrong].some((i) => !this.phrasing[i]));
  }

  /** No file: no examples (every entry is judged without them). A broken file stops the start with its name. */
  static load(path = EXAMPLES_FILE): ExampleMemory {
    if (!existsSync(path)) return new ExampleMemory([]);
    let file: ExamplesFile;
    try {
      file = JSON.parse(readFileSync(path, "utf8")) as ExamplesFile;
    } catch {
      throw new Error(`Beispielfragen unlesbar: ${path} (npm run calibrate schreibt sie neu)`);
    }
    const ok = Array.isArray(file?.examples) && file.examples.every((e) => typeof e?.id === "string" && typeof e.text === "string" && Array.isArray(e.right) && Array.isArray(e.wrong)
      && (e.facts === undefined || (Array.isArray(e.facts) && e.facts.every((f) => typeof f === "string"))) && (e.need === undefined || Number.isInteger(e.need)));
    if (!ok) throw new Error(`Beispielfragen im falschen Format: ${path} (npm run calibrate schreibt sie neu)`);
    const counts = file.absentTerms;
    const pair = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n) && n >= 0);
    if (counts !== undefined && !(typeof counts?.prior === "number" && counts.prior > 0 && counts.prior < 1 && typeof counts.counts === "object" && counts.counts && Object.values(counts.counts).every(pair))) {
      throw new Error(`Beispielfragen im falschen Format (absentTerms): ${path} (npm run calibrate schreibt sie neu)`);
    }
    return new ExampleMemory(file.examples, counts);
  }

  /**
   * The same memory for the knowledge as it is now. An entry staff edited after the last calibration has a new
   * version: its examples were labelled on the old text. A right example still holds when the new text shows
   * the facts it was labelled with in one of its passages (an amount updated elsewhere in the entry, a sentence added); otherwise it is
   * dropped, as before. A wrong example stays with the entry while the entry still answers some of its
   * questions: it was a question the entry came up for without answering, and keeping it can only send such a
   * question to staff. Before, any edit cost the entry all its
   * examples, and questions it answered every day went to staff until the next `npm run calibrate`.
   * `holds(facts, need, text)` is the labelling rule (the judge's fact matching).
   */
  carriedOver(current: (docId: string) => CurrentEntry | undefined, holds: (facts: string[], need: number, text: string) => boolean): ExampleMemory {
    const docOf = (ref: string) => ref.slice(0, ref.lastIndexOf("@"));
    const edited = (ref: string) => {
      const now = current(docOf(ref));
      return now && now.version !== ref ? now : undefined;
    };
    const texts = new Map<string, string[]>();
    const textsOf = (now: CurrentEntry) => texts.get(now.version) ?? texts.set(now.version, now.texts()).get(now.version)!;
    const kept = (e: Example, now: CurrentEntry) => !!e.facts?.length && textsOf(now).some((t) => holds(e.facts!, e.need ?? 1, t));
    // An edited entry that answers none of its questions any more is another text under the old name: it
    // starts without examples, as a new entry does (its old wrong ones alone would only count against it).
    const same = new Set<string>();
    for (const e of this.examples) {
      for (const ref of e.right) {
        const now = edited(ref);
        if (now && !same.has(now.version) && kept(e, now)) same.add(now.version);
      }
    }
    let changed = false;
    const examples = this.examples.map((e) => {
      const move = (ref: string, keep: (now: CurrentEntry) => boolean): string[] => {
        const now = edited(ref);
        if (!now) return [ref];
        changed = true;
        return same.has(now.version) && keep(now) ? [now.version] : [];
      };
      return { ...e, right: e.right.flatMap((r) => move(r, (now) => kept(e, now))), wrong: e.wrong.flatMap((r) => move(r, () => true)) };
    });
    return changed ? new ExampleMemory(examples, this.absentTerms) : this;
  }

  /**
   * The same memory with more examples (those whose id it has are left out): at run time the own phrasings of
   * entries staff published after the last calibration, so a question asked just as such an entry puts it is
   * recognised as it is for the shipped entries.
   */
  with(extra: Example[]): ExampleMemory {
    const have = new Set(this.examples.map((e) => e.id));
    const add = extra.filter((e) => !have.has(e.id));
    return add.length ? new ExampleMemory([...this.examples, ...add], this.absentTerms) : this;
  }

  /**
   * Of the question's terms the entry lacks, the one whose lack the labelled questions saw most often in
   * wrong answers: its smoothed log-odds of a right answer against the overall odds (negative: lacking it
   * tells of a wrong answer; 0: nothing lacking, no counts, or a term no labelled question had).
   */
  absentTelling(absent: string[]): number {
    const c = this.absentTerms;
    if (!c || !absent.length) return 0;
    const base = Math.log(c.prior / (1 - c.prior));
    let worst = Infinity;
    for (const t of new Set(absent)) {
      // Own keys only: a word like "constructor" must not find Object.prototype's.
      const [right, wrong] = Object.hasOwn(c.counts, t) ? c.counts[t] : [0, 0];
      worst = Math.min(worst, Math.log((right + ABSENT_PRIOR_WEIGHT * c.prior) / (wrong + ABSENT_PRIOR_WEIGHT * (1 - c.prior))) - base);
    }
    return worst;
  }

  get size(): number {
    return this.examples.length;
  }

  /** TF-IDF over the examples' words and stems, unit length (log-scaled counts: a repeated word is not twice the question). */
  private vector(text: string): Vector {
    const n = this.examples.length;
    const counts = new Map<string, number>();
    for (const t of tokens(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const v: Vector = new Map();
    let norm = 0;
    for (const [t, c] of counts) {
      const w = (1 + Math.log(c)) * Math.log((n + 1) / ((this.df.get(t) ?? 0) + 1));
      if (w <= 0) continue;
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  }

  /** How rare a stem is among the examples (the same weight the similarity gives it). */
  private idf(term: string): number {
    return Math.log((this.examples.length + 1) / ((this.df.get(`~${term}`) ?? 0) + 1));
  }

  private novelty(ask: AskTerms, right: number[]): number {
    const all = [...new Set(ask.terms)];
    const total = all.reduce((a, t) => a + this.idf(t), 0);
    if (!total) return 0;
    // Numbers are judged elsewhere (a year or figure the passage lacks).
    const novel = ask.absent.filter((t) => !/^\d+$/.test(t) && !right.some((i) => this.exampleTerms[i].has(t)));
    return novel.reduce((a, t) => a + this.idf(t), 0) / total;
  }

  /**
   * The labelled questions most like the message (not an entry's own phrasings: they vote only for their entry
   * and would crowd out the questions that show where similar wording went).
   */
  private nearest(sims: Float64Array, skip?: (exampleId: string) => boolean): number[] {
    const top: number[] = [];
    for (let i = 0; i < sims.length; i++) {
      if (sims[i] <= 0 || this.phrasing[i] || (skip && skip(this.examples[i].id))) continue;
      if (top.length === VOTE_NEIGHBOURS && sims[i] <= sims[top[top.length - 1]]) continue;
      let at = top.length;
      while (at > 0 && sims[top[at - 1]] < sims[i]) at--;
      top.splice(at, 0, i);
      if (top.length > VOTE_NEIGHBOURS) top.pop();
    }
    return top;
  }

  /**
   * Evidence for each entry from the examples most like `text`; undefined for an entry no example names (an
   * entry staff published today, another county's knowledge): no labels is not the same as unlike every
   * labelled question, so the caller treats it as unknown. `skip` leaves examples out (calibration: those of
   * the fold being predicted).
   */
  evidence(text: string, skip?: (exampleId: string) => boolean): (entryId: string, ask?: AskTerms) => Evidence | undefined {
    if (!this.examples.length) return () => undefined;
    const sims = new Float64Array(this.examples.length);
    for (const [t, w] of this.vector(text)) {
      const p = this.postings.get(t);
      if (!p) continue;
      const { examples, weights } = p;
      for (let k = 0; k < examples.length; k++) sims[examples[k]] += w * weights[k];
    }
    const kept = (idx: number[]) => (skip ? idx.filter((i) => !skip(this.examples[i].id)) : idx);
    const best = (idx: number[]) => idx.reduce((m, i) => Math.max(m, this.phrasing[i] && sims[i] < PHRASING_MIN_SIMILARITY ? 0 : sims[i]), 0);
    const neighbours = this.nearest(sims, skip);
    const total = neighbours.reduce((a, i) => a + sims[i], 0);
    const vote = (entryId: string) => (total ? neighbours.filter((i) => this.examples[i].right.includes(entryId)).reduce((a, i) => a + sims[i], 0) / total : 0);
    return (entryId, ask) => {
      const slot = this.byEntry.get(entryId);
      if (!slot) return undefined;
      const right = kept(slot.right);
      const wrong = kept(slot.wrong);
      // Known only by its own phrasings (an entry published after the last calibration), an entry is known for a
      // message worded like one of them; for any other it is as unknown as an entry without examples.
      if (!wrong.length && right.every((i) => this.phrasing[i]) && best(right) === 0) return undefined;
      return right.length || wrong.length ? { right: best(right), wrong: best(wrong), novel: ask ? this.novelty(ask, right) : NaN, vote: vote(entryId) } : undefined;
    };
  }
}
