import type { HybridRetriever, Hit, SearchResult } from "../retrieval/hybrid-retriever.js";
import type { Answerability, Ask, Judged } from "./answerability.js";
import { MODEL_FEATURES, rankCandidates, type ConfidenceModel, type Features } from "./confidence-model.js";
import { ExampleMemory } from "./example-memory.js";
import { terms } from "../retrieval/german-text.js";

export interface AskPlan {
  /** The question as the mayor wrote it in this message (without the context it is read with). */
  text: string;
  /** The question with the story it is read with: what labelled examples are compared on. */
  exampleText: string;
  ask: Ask;
  /** The passage whose answer is most probably right (undefined: nothing found). */
  best?: Judged;
  candidates: Judged[];
  /** Hits of the question's own search (for sources and for staff when it is handed over). */
  search: SearchResult;
  followup: boolean;
  /** Read together with the question before it in the same message (it seemed to point back to it). */
  afterQuestion?: boolean;
}

const CANDIDATES = 6;

/**
 * For one question: search (alone, and with the story or the previous question as a hint), judge each
 * candidate passage for answerability, and rank them by the calibrated probability that the answer
 * shown from it is right.
 */
export class AnswerPlanner {
  constructor(
    private retriever: HybridRetriever,
    private answerability: Answerability,
    private model: ConfidenceModel,
    private examples = new ExampleMemory([]),
    private k = 5,
    /** ANSWER_MIN_CONFIDENCE: a threshold set by the operator instead of the calibrated one. */
    private minConfidence?: number,
  ) {}

  /** The entry a passage comes from, in the indexed version (what labelled examples are kept for). */
  entryVersion(chunk: Hit["chunk"]): string {
    return this.retriever.entryVersion(chunk);
  }

  /** Words a question uses for a table's unit (language/answerability.yaml, table_units). */
  get tableUnits(): Record<string, string[]> {
    return this.answerability.tableUnits;
  }

  /** The source's pointers to its own layout ("siehe unten"), left out of a shown passage. */
  get layoutReferences(): string[] {
    return this.answerability.layoutReferences;
  }

  /** How close two candidates' probabilities must be for the kind of answer to decide (language/answerability.yaml). */
  get typeAgreeTie(): number {
    return this.answerability.typeAgreeTie;
  }

  /**
   * The text shown speaks of every thing a question names ("Und brauchen wir eine Helferliste?" under a text with a tip
   * on Helferlisten): it may answer it, so the mayor is not told there is no answer (user test: the reply said "keine
   * Pflicht" and then "finde ich keine sichere Antwort"). The decision stays: the question still goes to staff.
   */
  shownMentions(question: string, shown: string): boolean {
    const topics = this.answerability.topicTerms(question);
    if (!topics.length) return false;
    const have = new Set(terms(shown));
    return topics.every((t) => this.retriever.termMatches(t, have) > 0);
  }

  /** Probability from which an answer is given. */
  get threshold(): number {
    return this.minConfidence ?? this.model.threshold;
  }

  get costWrongVsMissed(): number {
    return this.model.file.costWrongVsMissed;
  }

  /** Probability for a feature row in MODEL_FEATURES order (eval and calibration work on rows). */
  probability(row: number[]): number {
    return this.model.probability(Object.fromEntries(MODEL_FEATURES.map((f, i) => [f, row[i]])) as Features);
  }

  async plan(text: string, opts: { context?: string; storyBefore?: string; previous?: string; continues?: boolean; staffLikelihood?: number; dialect?: boolean; types?: string[] } = {}): Promise<AskPlan> {
    // A question that points back ("Geht das auch bei einer Gemeinde?") is read with what it points to:
    // the story before it in the same message (else the story around it), else the previous question. Its own
    // words set the answer type.
    const antecedent = opts.continues ? opts.storyBefore || opts.context || opts.previous : undefined;
    const followup = Boolean(antecedent && antecedent === opts.previous && !opts.context);
    // A message that only names a topic asks what it is ("Ehrenamtskarte?"): read so, the entry that explains it wins over
    // any other entry on the topic.
    const bare = antecedent ? undefined : this.answerability.bareTopicQuestion(text);
    const askText = antecedent ? `${antecedent} ${text}` : bare ?? text;
    const ask = this.answerability.analyse(askText, opts.context ?? "", opts.dialect, antecedent ? text : undefined);
    if (bare) ask.bareTopic = true;
    if (antecedent) {
      const own = this.answerability.analyse(text).types;
      if (own.length) ask.types = own;
    }
    // A fragment that asks the question before about something else ("… Kreisstiftung? Und die Lotto-Stiftung") wants
    // the same kind of answer.
    if (!ask.types.length && opts.types?.length) ask.types = [...opts.types];
    const own = await this.retriever.search(askText, this.k);
    // The story of the same message helps find what it is about; the previous turn does not: a question that
    // does not point back is a new question ("ab wie vielen Stunden gibt es die Ehrenamtskarte?" after one
    // about the Aufwandsentschädigung went to staff, because both were searched and read together).
    const hint = antecedent ? "" : opts.context ?? "";
    const searches: SearchResult[] = [own];
    if (hint) searches.push(await this.retriever.search(`${askText} ${hint}`, this.k));
    const seen = new Set<string>();
    const judged: Judged[] = [];
    // Compared with the labelled questions together with its story: "Gibt es dafür Geld, und wer berät
    // uns?" after a Bürgerbus story is a Bürgerbus question, not like every "wer berät" example.
    const exampleText = hint ? `${ask.text} ${hint}` : ask.text;
    const evidence = this.examples.evidence(exampleText);
    let excludedBelow = false;
    for (const s of searches) {
      const top = s.hits[0]?.score ?? 0;
      for (const h of s.hits) {
        if (seen.has(h.chunk.meta.chunkId) || judged.length >= CANDIDATES) continue;
        seen.add(h.chunk.meta.chunkId);
        const j = this.answerability.judge(ask, h, top, opts.staffLikelihood ?? 0);
        // An entry no labelled question names (new knowledge): NaN, and the model judges it without examples.
        const e = evidence(this.retriever.entryVersion(h.chunk), { terms: ask.terms, absent: j.absent });
        j.features.exampleRight = e ? e.right : NaN;
        j.features.exampleWrong = e ? e.wrong : NaN;
        j.features.exampleNovel = e ? e.novel : NaN;
        j.features.exampleVote = e ? e.vote : NaN;
        j.features.absentTelling = this.examples.absentTelling(j.absent);
        // Asked for all items, and a passage the search ranked higher gives them only as examples: the knowledge
        // has no complete list, and a lower-ranked passage without example words is about something else
        // ("alle Projekte der Kreisstiftung" → the overview of funding programmes). Which kinds of answer do
        // this: `excludes_below` in language/answer-types.yaml.
        if (excludedBelow && !j.blocked.length) j.blocked.push("typeMissingAbove");
        if (this.answerability.excludesBelow(j)) excludedBelow = true;
        const p = this.model.probability(j.features);
        judged.push({ ...j, probability: j.blocked.length ? 0 : p, ...(j.blocked.length ? { unblockedProbability: p } : {}) });
      }
    }
    // A term of the question that among the candidates only new entries use (no labelled question names them yet:
    // a freshly published issue's "Jugendbudget") says the question is about the new content: an older entry
    // without it is not the answer, however like its labelled questions the rest of the message is.
    // The story around the question counts too ("… beim Energie-Check muss man einen Berater aussuchen. Von welcher Liste?").
    const fresh = new Set(judged.filter((c) => !this.examples.labelled(this.retriever.entryVersion(c.hit.chunk))));
    if (fresh.size && fresh.size < judged.length) {
      const has = (c: Judged, t: string) => this.retriever.termMatches(t, this.retriever.termsOf(c.hit.chunk)) > 0;
      const asked = new Set([...ask.terms, ...(hint ? this.answerability.analyse(hint).terms : [])]);
      const onlyNew = [...asked].some((t) => judged.some((c) => fresh.has(c) && has(c, t)) && !judged.some((c) => !fresh.has(c) && has(c, t)));
      if (onlyNew) {
        for (const c of judged) {
          if (fresh.has(c) || c.blocked.length) continue;
          c.blocked.push("freshTermAbsent");
          c.unblockedProbability = c.probability;
          c.probability = 0;
        }
      }
    }
    // With the neutral model calibration collects with, every probability is 0.5: the search order stands.
    const ranked = rankCandidates(judged, (c) => c.probability, (c) => c.features.typeAgree, this.model.informative ? this.typeAgreeTie : 0);
    return { text, exampleText, ask, best: ranked[0], candidates: ranked, search: own, followup };
  }

  /**
   * Plans every question of a message. A question that continues ("Und auf welche Summe kommt sie?") is
   * read with the question before it in the message; the first one with the story, else the previous turn.
   */
  async planMessage(asks: string[], context: string, previousTurn: string | undefined, continues: (ask: string, turn: boolean) => boolean, staffLikelihood = 0, dialect = false, storyBefore = "", types?: string[]): Promise<AskPlan[]> {
    const plans: AskPlan[] = [];
    for (const [i, ask] of asks.entries()) {
      // The first question, with no story in its message, can only continue the previous message.
      const c = continues(ask, i === 0 && !storyBefore && !context);
      // A first question that names no topic of its own, with nothing before it ("Wie lange muss ich das noch
      // machen?? Für wie viele Jahre wird man gewählt?"), is about what the rest of the message asks.
      const rest = i === 0 && !context && !storyBefore && !previousTurn && asks.length > 1 && this.answerability.analyse(ask).noTopic ? asks.slice(1).join(" ") : context;
      const where = i === 0 ? { context: rest, storyBefore, previous: previousTurn, continues: c && rest === context } : { context: c ? asks[i - 1] : context, continues: c };
      const plan = await this.plan(ask, { ...where, staffLikelihood, dialect, types });
      if (i > 0 && c) plan.afterQuestion = true;
      plans.push(plan);
    }
    return plans;
  }

  /**
   * Two questions in one sentence ("Wie hoch ist die Übungsleiterpauschale, und muss der Verein den Trainer bei der
   * Berufsgenossenschaft anmelden?") whose best passage lacks a noun one of them is about: answered from it alone,
   * that question would be dropped. The parts it leaves out, to be planned on their own; undefined when the passage
   * has the nouns of each.
   */
  partsLeftOut(plan: AskPlan): string[] | undefined {
    if (!plan.best) return undefined;
    // A question read with the one before it ("… Übungsleiterpauschale? Brauche ich für das Dorffest eine
    // Genehmigung?") is, as a whole, one part: the passage chosen for both must still have its own nouns.
    // A follow-up read with the previous message is, as a whole, one part too.
    const single = plan.afterQuestion || plan.followup;
    const parts = single ? [plan.text] : this.answerability.coordinatedParts(plan.text);
    if (parts.length < 2 && !single) return undefined;
    // A compound the knowledge has not seen is there when the passage has both its parts.
    const missingFrom = (terms: Set<string>) => (t: string) => {
      const split = this.retriever.compoundParts(t);
      return this.retriever.termMatches(t, terms, split && new Map([[t, split]])) === 0;
    };
    const absent = missingFrom(this.retriever.termsOf(plan.best.hit.chunk));
    // Read with the question before it, a question is left out only when the passage has none of its two or more
    // nouns: one word of its own the passage lacks ("wo steht das?", "Ist das Vorschrift?") still points back, and a
    // passage that answers the first question mostly answers it (measured on the labelled questions).
    // A follow-up without a pointing word ("Und wie viel bekommt ein Ortsvorsteher?", "Und was kostet ein Festzelt?") is
    // about its own nouns: when the passage lacks one, or the knowledge has never seen it, it is planned alone ("Ist
    // das Vorschrift?", "gibt's da ne Untergrenze?" point back).
    // A fragment that names a new subject ("Und die Ehrenamtspauschale?" after the Übungsleiterpauschale) is answered by a
    // passage about that subject, not by one that mentions it in passing: its nouns are looked for in what the passage is
    // about (its own question and phrasings, or its heading).
    const about = this.retriever.aboutTerms(plan.best.hit.chunk);
    const absentAbout = missingFrom(about);
    const left = parts.filter((p) => {
      const topic = this.answerability.topicTerms(p);
      if (single && about.size && this.answerability.isFragment(p) && topic.some(absentAbout)) return true;
      // Words the knowledge has never seen are checked on their own even after a pointing word: "Und wann wird bei uns das
      // Neubaugebiet erschlossen?" after the Ehrenamtspauschale was dropped as answered by the Pauschale's passage, because
      // "das" counted as pointing back (language/answerability.yaml, part_alone_unknown).
      const own = this.answerability.unknownOwnWords(p, plan.ask) || (!this.answerability.pointsBack(p) && (topic.some(absent) || this.namesUnknown(p, plan.ask)));
      return single ? (topic.length >= 2 && topic.every(absent)) || own : topic.some(absent);
    });
    return left.length ? left : undefined;
  }

  /** A verbless fragment asking the question before about something else ("Und die Lotto-Stiftung?"). */
  isFragment(text: string): boolean {
    return this.answerability.isFragment(text);
  }

  /**
   * A noun the question is about (see Answerability.topicTerms) that the knowledge has never seen: no passage holds
   * it. Dialect words, swear words and places are not among `ask.unknown`.
   */
  namesUnknown(text: string, ask: Ask): boolean {
    const unknown = new Set(ask.unknown);
    return this.answerability.topicTerms(text).some((t) => unknown.has(t));
  }

  /** Hits for staff and for "what I found" under a hand-over, best first. */
  static hitsOf(plans: AskPlan[]): Hit[] {
    const out: Hit[] = [];
    const seen = new Set<string>();
    for (const p of plans) for (const h of [...p.candidates.map((c) => c.hit), ...p.search.hits]) {
      if (seen.has(h.chunk.meta.chunkId)) continue;
      seen.add(h.chunk.meta.chunkId);
      out.push(h);
    }
    return out;
  }
}
