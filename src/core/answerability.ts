import { terms as contentTerms, stem, words } from "../retrieval/german-text.js";
import { looksDialect, type DialectLexicon } from "../language/dialect.js";
import type { HybridRetriever, Hit } from "../retrieval/hybrid-retriever.js";
import { stripMarkdown, withoutSourceLine } from "../answer/format.js";
import { unfold, type AnswerTypes } from "../language/answer-type.js";
import type { MessageSplitter } from "../language/segment.js";
import type { AnswerabilityData } from "../language/resources.js";
import type { Features } from "./confidence-model.js";
import { languageRegex } from "../language/regex.js";
import { HashedNgramEmbedder } from "../retrieval/hashed-ngram-embedder.js";
import { normalisePlaceText, Places, type NamedPlace } from "../language/places.js";

/** One question of a message, as the answerability check sees it. */
export interface Ask {
  /** The question as the mayor wrote it (dialect already turned into standard German). */
  text: string;
  /** Content terms (stemmed) of the question itself. */
  terms: string[];
  /** Content terms of the story around it (used as a hint only). */
  contextTerms: string[];
  /** Answer types wanted, most specific first. */
  types: string[];
  /** Terms of the question the knowledge has never seen. */
  unknown: string[];
  /** Asks about the next/coming one, or names a year. */
  future: boolean;
  /** Asks about the present state ("noch", "mittlerweile"). */
  current: boolean;
  /** Numbers and years in the question ("2027", "2021"). */
  numbers: string[];
  /** Years the question names. */
  years: number[];
  /** The thing asked for after "welche …", "wie viele …" ("Welche ehrenamtlichen Tätigkeiten …" → Tätigkeit). */
  asked?: string;
  /** Wording vector of the question (offline embedder), computed once. */
  vector?: number[];
  /** The message only names a topic ("Ehrenamtskarte?"): it asks what the thing is (see bareTopicQuestion). */
  bareTopic?: boolean;
  /** The funding programmes the question names, each as its list of names ("kreisstiftung", …). */
  programmes: string[][];
  /** Written in dialect (translated before the terms were taken). */
  dialect?: boolean;
  /** The places the question names ("Mertesdorf", "VG Ruwer"). */
  places: NamedPlace[];
  /**
   * Every content word only names the kind of answer ("hoch" in "Wie hoch ist?") and no story around it names a
   * topic either: nothing says what the question is about.
   */
  noTopic?: boolean;
}

/** A number and the noun it counts, an adjective between allowed ("39 Gemeinden", "28 kleine Orte"). */
const COUNTED = /\b\d+(?:[.,]\d+)?\s+(?:\p{Ll}\p{L}*\s+)?(\p{Lu}[\p{L}-]*)/gu;
/** The same in a message typed all in lower case ("welche 21 leader regionen"): the word after the number or the one after. */
const COUNTED_LOWER = /\b\d+(?:[.,]\d+)?\s+(?:\p{L}+\s+)?([\p{L}-]+)/gu;
/** The noun after "alle"/"sämtliche" ("sämtliche Ortsgemeinden", "alle 21 LEADER-Regionen"). */
const ALL_OF = /\b(?:alle|sämtliche[n]?)\s+(?:\d+\s+)?(?:\p{Ll}\p{L}*\s+)?(\p{Lu}[\p{L}-]*)/gu;
const ASKED = /(?:^|[^\p{L}])(?:welche[rnsm]?|wie ?viele?|wieviele?|wie hoch ist (?:der|die|das)|was für (?:ein(?:e[nrm]?)?)?)\s+((?:[\p{L}-]+\s+){0,2}[\p{L}-]+)/iu;

/** A passage judged as the answer to one ask. */
export interface Judged {
  hit: Hit;
  /** The text that would be shown (FAQ answer, or the sentences of a newsletter section that answer). */
  shown: string;
  features: Features;
  /** Hard limits this passage fails (language/answerability.yaml, gates): it cannot be the answer. */
  blocked: string[];
  /** The wanted kinds of answer ("strong" types) the text where the question is answered lacks. */
  missingTypes: string[];
  probability: number;
  /**
   * For a blocked passage: the probability the model gives it without the hard limit. A passage blocked only because
   * it lacks the kind of answer asked for ("Welche Unterlagen …?") is still about the topic: offered under the
   * hand-over when this is high.
   */
  unblockedProbability?: number;
  /** The question's terms the entry never uses (title, section, text, own phrasings): for the example features. */
  absent: string[];
}

const MAX_SHOWN_CHARS = 900;

/** One sentence of a passage against the question: match per question term, weighted score, states a gap. */
interface SentenceMatch {
  s: string;
  per: Map<string, number>;
  score: number;
  gap: boolean;
}
/** Passages whose parts stay prepared for judging (the knowledge base has about 400; every one fits). */
const PASSAGE_CACHE = 4_000;
/** Alternatives that start and end where a word does ("bis 75 %" ends in a sign, so not at a word boundary). */
const wordsRegex = (alternatives: string) => new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, "u");
/** The question speaks of the mayor's own place ("wir", "bei uns", "unser Dorf"). */
const WE = /(?:^|[^\p{L}])(?:wir|uns|unser|unsere|unserem|unseren|unserer|unseres|mir|mer|eis)(?=$|[^\p{L}])/iu;
/** A programme name as it stands between word boundaries in lower-cased, punctuation-free text (" ps los"). */
const spacedName = (n: string) => ` ${n.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()}`;
/**
 * Does a lower-cased, space-padded text name a programme? The whole name, with at most a case ending
 * ("Erbeskopfs"): "LAG Mosel" is not named in "LAG Moselfranken".
 */
const namesProgramme = (padded: string, n: string) => {
  const name = spacedName(n);
  for (let at = padded.indexOf(name); at >= 0; at = padded.indexOf(name, at + 1)) {
    if (/^(?:s|es|n|en)?\s/.test(padded.slice(at + name.length))) return true;
  }
  return false;
};
/** What the checks read off a text shown from a passage (it depends only on the text). */
interface ShownText {
  list: string[];
  set: Set<string>;
  /** Years named in it, in order ("2024" twice: twice). */
  years: number[];
  /** Years of its "Stand …" notes. */
  standYears: number[];
  /** It names a status ("läuft", "abgeschlossen": language/answerability.yaml, `status_words`). */
  states: boolean;
}

/** Different texts shown from one passage kept with what is read off them (a few sentence choices per passage). */
const SHOWN_PER_PASSAGE = 32;
/**
 * The verdict an FAQ answer opens with for its own question: "Ja."/"Nein." (with whatever follows the word), or
 * an unqualified hedged verdict ending its clause ("In der Regel nicht.", "Nicht automatisch.").
 */
export function verdictLead(data: Pick<AnswerabilityData, "verdict_hedges" | "verdict_softeners">): RegExp {
  const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const alt = (xs: string[] | undefined) => (xs ?? []).map((x) => x.toLowerCase().split(/\s+/).map(escape).join("\\s+")).join("|");
  const hedges = alt(data.verdict_hedges);
  const softeners = alt(data.verdict_softeners);
  const hedged = `${hedges ? `(?:(?:${hedges})\\s+)?` : ""}(?:ja|nein|nicht)${softeners ? `(?:\\s+(?:${softeners}))?` : ""}\\s*[.!:–]`;
  return new RegExp(`^(?:(?:ja|nein)\\b[,.!:;–-]*|${hedged})\\s*`, "iu");
}

export class Answerability {
  /** Question-to-question similarity needs no model: the offline embedder compares the wording. */
  private wording = new HashedNgramEmbedder();
  private phrasingVectors = new Map<string, number[][]>();
  /**
   * Per passage object (a new index brings new objects, so an edited entry is never read from here): its
   * sentences with their terms, with and without a leading "Ja."/"Nein.", and the terms of its own phrasings.
   * Every question judges its candidates, and most candidates come up again for other questions: splitting
   * and stemming them anew each time was the largest single share of the CPU per question. Bounded like the
   * retriever's caches: at 100k passages it would otherwise keep every passage ever judged.
   */
  private passageParts = new Map<Hit["chunk"], {
    sentences: Map<string, { s: string; t: Set<string>; gap: boolean }[]>;
    /** What is read off each text shown from it so far (the shown sentences depend on the question's terms). */
    shown: Map<string, ShownText>;
    own: Set<string>;
    phrasingTerms: Set<string>;
    plain: string;
    /** Title, section and search text, lower case, words spaced (programme names are looked up in it). */
    entryLow?: string;
    /** The same text as place names are matched in. */
    placeText?: string;
  }>();

  private partsOf(chunk: Hit["chunk"]) {
    let parts = this.passageParts.get(chunk);
    if (!parts) {
      const m = chunk.meta;
      parts = {
        sentences: new Map(),
        shown: new Map(),
        own: new Set((m.kind === "faq" ? m.phrasings ?? [] : [m.section]).flatMap((p) => contentTerms(p))),
        phrasingTerms: new Set((m.phrasings ?? []).flatMap((p) => contentTerms(p))),
        plain: stripMarkdown(withoutSourceLine(chunk.text)),
      };
      if (this.passageParts.size >= PASSAGE_CACHE) this.passageParts.delete(this.passageParts.keys().next().value!);
      this.passageParts.set(chunk, parts);
    }
    return parts;
  }

  /** The sentences of a text shown from this passage, with their terms (the text depends only on the passage and the dropped "Ja."/"Nein."). */
  private sentencesOf(chunk: Hit["chunk"], body: string): { s: string; t: Set<string>; gap: boolean }[] {
    const cache = this.partsOf(chunk).sentences;
    let list = cache.get(body);
    if (!list) {
      list = this.splitter.sentences(body).map((s) => ({ s, t: new Set(contentTerms(s)), gap: this.isGap(s) }));
      cache.set(body, list);
    }
    return list;
  }
  /**
   * What is read off a text shown from this passage (its terms, years, "Stand" years, status words): tokenising
   * and matching it anew for every question was a tenth of a question's CPU.
   */
  private shownOf(chunk: Hit["chunk"], shown: string): ShownText {
    const cache = this.partsOf(chunk).shown;
    let t = cache.get(shown);
    if (!t) {
      const list = contentTerms(shown);
      const lowShown = ` ${shown.toLowerCase()} `;
      t = {
        list,
        set: new Set(list),
        years: [...shown.matchAll(/\b((?:19|20)\d{2})\b/g)].map((x) => Number(x[1])),
        standYears: [...shown.matchAll(/\bstand:?\s*(?:\p{L}+\s+)?((?:19|20)\d{2})/giu)].map((x) => Number(x[1])),
        states: this.data.status_words.some((w) => lowShown.includes(` ${w} `)),
      };
      if (cache.size >= SHOWN_PER_PASSAGE) cache.delete(cache.keys().next().value!);
      cache.set(shown, t);
    }
    return t;
  }
  private gap: string[];
  /** The verdict lead of an FAQ answer (see `verdictLead`). */
  private yesNo: RegExp;
  private missing: string[];
  private future: string[];
  private current: RegExp[];
  /** Programme names more than one programme goes by ("leader"). */
  private sharedProgrammeNames: Set<string>;
  private opposites: [RegExp, RegExp][];
  private scopes: [string, RegExp][];
  private actors: [string, RegExp][];
  private nearUnits: Set<string>;

  constructor(
    private retriever: HybridRetriever,
    private types: AnswerTypes,
    private splitter: MessageSplitter,
    private data: AnswerabilityData,
    private now: () => Date = () => new Date(),
    /** Names of the funding programmes (knowledge/programmes), one list per programme. */
    private programmeNames: string[][] = [],
    /** Tells dialect words still unknown after translation from standard words the knowledge lacks. */
    private dialect?: DialectLexicon,
    private places?: Places,
  ) {
    this.gap = data.gap_phrases.map((p) => p.toLowerCase());
    this.yesNo = verdictLead(data);
    const hedges = new Set((data.hedge_phrases ?? []).map((p) => p.toLowerCase()));
    this.missing = this.gap.filter((g) => !hedges.has(g));
    this.future = data.future_markers.map((p) => p.toLowerCase());
    this.current = data.current_markers.map((p) => languageRegex(p));
    const owners = new Map<string, number>();
    for (const names of programmeNames) for (const n of new Set(names)) owners.set(n, (owners.get(n) ?? 0) + 1);
    this.sharedProgrammeNames = new Set([...owners].filter(([, k]) => k > 1).map(([n]) => n));
    this.scopes = Object.entries(data.scopes ?? {}).map(([name, ps]) => [name, wordsRegex(ps.join("|"))]);
    this.opposites = (data.opposites ?? []).map(([a, b]) => [wordsRegex(a), wordsRegex(b)]);
    this.actors = Object.entries(data.actors ?? {}).map(([name, ps]) => [name, wordsRegex(ps.join("|"))]);
    this.nearUnits = new Set(data.future_near_units ?? []);
  }

  /** The question asks for a count or share of exactly one scope; the shown figures name another but not that one. */
  private scopeClash(ask: Ask, shown: string): number {
    if (!ask.types.some((t) => (this.data.scope_types ?? []).includes(t))) return 0;
    const q = ask.text.toLowerCase();
    const asked = this.scopes.filter(([, r]) => r.test(q));
    if (asked.length !== 1) return 0;
    // The scope of a figure stands in its sentence ("2020 förderte das Land 1.525 …"), not in a pointer to an office.
    const t = this.splitter.sentences(shown).filter((x) => /\d/.test(x)).join(" ").toLowerCase();
    return !asked[0][1].test(t) && this.scopes.some(([, r]) => r.test(t)) ? 1 : 0;
  }

  /**
   * A question read with the one before it names enough words the knowledge has never seen (`part_alone_unknown`) to be
   * about something of its own, pointing word or not.
   */
  unknownOwnWords(text: string, ask: Ask): boolean {
    const min = this.data.part_alone_unknown ?? 0;
    if (!min) return false;
    const unknown = new Set(ask.unknown);
    return new Set(contentTerms(text).filter((t) => unknown.has(t))).size >= min;
  }

  /** A future marker in a space-padded, lower-case text, not followed by a near time ("nächsten Samstag"). */
  private marksFuture(spacedText: string, marker: string): boolean {
    let at = spacedText.indexOf(` ${marker} `);
    while (at >= 0) {
      const next = spacedText.slice(at + marker.length + 2).split(" ", 1)[0];
      if (!this.nearUnits.has(next)) return true;
      at = spacedText.indexOf(` ${marker} `, at + 1);
    }
    return false;
  }

  /** The actors (language/answerability.yaml `actors`) a text names. */
  actorsIn(text: string): string[] {
    const t = text.toLowerCase();
    return this.actors.filter(([, r]) => r.test(t)).map(([name]) => name);
  }

  /** The question names who it is about, the entry's own question names someone else and not them. */
  private actorClash(ask: Ask, hit: Hit): number {
    const own = hit.chunk.meta.kind === "faq" ? hit.chunk.meta.phrasings?.[0] : undefined;
    if (!own) return 0;
    const asked = this.actorsIn(ask.text);
    if (!asked.length) return 0;
    const theirs = this.actorsIn(own);
    return theirs.length && !theirs.some((a) => asked.includes(a)) ? 1 : 0;
  }

  /** Candidates this close in probability: the one whose own question wants the same kind of answer first. */
  get tableUnits(): Record<string, string[]> {
    return this.data.table_units ?? {};
  }

  /** The source's pointers to its own layout ("siehe unten"; language/answerability.yaml, layout_references). */
  get layoutReferences(): string[] {
    return this.data.layout_references ?? [];
  }

  get typeAgreeTie(): number {
    return this.data.type_agree_tie ?? 0;
  }

  private notYear?: RegExp;
  /** The years a question names: four digits from 1900 on, not an amount ("kost so 2000 euro"; `not_year_before`). */
  yearsIn(text: string): number[] {
    const units = this.data.not_year_before ?? [];
    this.notYear ??= new RegExp(`^\\s*(?:${units.map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?![\\p{L}])`, "iu");
    return [...text.matchAll(/\b((?:19|20)\d{2})\b/g)].filter((m) => !units.length || !this.notYear!.test(text.slice(m.index + m[0].length))).map((m) => Number(m[1]));
  }

  /** The question points back with a word like "das", "da", "dafür" (see MessageSplitter.hasPointingWord). */
  pointsBack(text: string): boolean {
    return this.splitter.hasPointingWord(text);
  }

  /**
   * The question a message that only names a topic asks, when it names no kind of answer and the knowledge knows the
   * topic ("Ehrenamtskarte?"). A word it never saw ("GEMA?", "thx") is left as it is.
   */
  bareTopicQuestion(text: string): string | undefined {
    const q = this.splitter.bareTopicQuestion(text);
    if (!q || this.types.analyse(text).types.length) return undefined;
    return contentTerms(text).some((t) => this.retriever.knowsTerm(t)) ? q : undefined;
  }

  /** A verbless fragment asking the question before about something else (see MessageSplitter.isFragment). */
  isFragment(text: string): boolean {
    return this.splitter.isFragment(text);
  }

  /** Two or more questions in one sentence (see MessageSplitter.splitCoordinated); one element for a single question. */
  coordinatedParts(text: string): string[] {
    return this.splitter.splitCoordinated(text);
  }

  /**
   * The nouns of a question that name what it is about (capitalised after its first word; every content word in a
   * message typed all in lower case), not words of the answer type ("Frist", "Nummer").
   */
  topicTerms(text: string): string[] {
    const typeStems = new Set(this.types.analyse(text).typeWords.flatMap((w) => contentTerms(w)));
    const lower = text === text.toLowerCase();
    const nouns = lower ? contentTerms(text) : (text.match(/[\p{L}\p{N}-]+/gu) ?? []).slice(1).filter((w) => /^\p{Lu}/u.test(w)).flatMap((w) => contentTerms(w));
    // A word one or two letters from a known one is left out: more likely a typo than a new topic. A compound of known
    // words names a thing of its own ("Feuerwehrrente").
    return [...new Set(nouns)].filter((t) => !typeStems.has(t) && !/^[\d_]+$/.test(t) && (this.retriever.knowsTerm(t) || this.retriever.vocabularyMatch(t) === 0 || this.retriever.isNewCompound(t)));
  }

  /** The question asks for one end of a scale that the shown text does not name, while it names the other. */
  private oppositeShown(question: string, shown: string): number {
    const q = question.toLowerCase();
    const t = shown.toLowerCase();
    return this.opposites.some(([a, b]) => (a.test(q) && !a.test(t) && b.test(t)) || (b.test(q) && !b.test(t) && a.test(t))) ? 1 : 0;
  }

  /**
   * `own`: when the question is read together with the story it points back to (`text` = story + question),
   * the question's own words. A word the knowledge has never seen is the point of a question only when the
   * question itself says it; in the story it is narrative ("Enkelin", "Schreinerei").
   */
  analyse(text: string, context = "", dialect = false, own?: string): Ask {
    const typed = this.types.analyse(text);
    const typeStems = new Set(typed.typeWords.flatMap((w) => contentTerms(w)));
    // Words that only say what kind of answer is wanted are not key terms ("hoch" in "wie hoch"). In a dialect
    // message a word still unknown after translation is a dialect word ("Pabeierkrom"), not a term the
    // knowledge lacks: it neither counts as asked nor as missing.
    const dialectWords = new Set(dialect && this.dialect ? words(`${text} ${context}`).filter((w) => looksDialect(w, this.dialect!)).map(stem) : []);
    const ownTerms = own === undefined ? undefined : new Set(contentTerms(own));
    const venting = new Set(words(text).filter((w) => this.isExpletive(w)).map(stem));
    // "Wir sind in der VG Ruwer" before "Zu welcher LEADER-Region gehören wir?": the place the story gives is where
    // the question asks about.
    const places = this.places?.find(WE.test(text) ? `${context} ${text}` : text) ?? [];
    // A Gemeinde the knowledge never names ("… der Gemeinde Nittel", "bei uns in Zerf") is where the mayor lives, not
    // a term a passage must hold: whether a passage speaks of somewhere else is the place check's (placeAbsent).
    // Counted as an unknown word it handed over questions the knowledge answers, for 74 of 104 Gemeinden.
    const placeWords = new Set(places.flatMap((p) => p.covers.flatMap((c) => contentTerms(c))));
    const unseen = (t: string) => (dialectWords.has(t) || venting.has(t) || placeWords.has(t) || (ownTerms !== undefined && !ownTerms.has(t))) && this.retriever.vocabularyMatch(t) === 0;
    const all = contentTerms(text).filter((t) => !unseen(t));
    const rest = all.filter((t) => !typeStems.has(t));
    const terms = rest.length ? rest : all;
    // Typed without umlauts ("naechste", "fuer") the markers are still found.
    const spaced = (t: string) => ` ${t.replace(/[^\p{L}\p{N}]+/gu, " ")} `;
    const low = spaced(text.toLowerCase());
    const folded = spaced(unfold(text));
    const years = this.yearsIn(text);
    const future = this.future.some((m) => this.marksFuture(low, m) || this.marksFuture(folded, m)) || years.some((y) => y > this.now().getFullYear());
    const current = this.current.some((re) => re.test(text.toLowerCase().trim()) || re.test(unfold(text).trim()));
    const numbers = [...new Set(terms.filter((t) => /^\d[\d_]*$/.test(t)))];
    return {
      dialect,
      // Per programme the names the question uses: "Dorferneuerung" names the private programme too, but only by
      // the name it shares with the communal one, so an entry need not say "private Dorferneuerung".
      programmes: this.programmeNames.map((names) => names.filter((n) => namesProgramme(low, n))).filter((used) => used.length),
      places,
      asked: this.askedThing(text, typeStems),
      current,
      numbers,
      years,
      text,
      terms,
      contextTerms: contentTerms(context).filter((t) => !terms.includes(t) && !unseen(t)),
      types: typed.types,
      unknown: [...new Set(terms)].filter((t) => !/^[\d_]+$/.test(t) && this.retriever.vocabularyMatch(t) === 0),
      future,
      noTopic: !rest.length && !contentTerms(context).some((t) => !unseen(t) && !typeStems.has(t)),
    };
  }

  /**
   * The noun after "welche"/"wie viele": the first capitalised word (German nouns), or in a lower-case
   * message the first content word. Type words ("welche Summe") name the kind of answer, not a thing.
   */
  private askedThing(text: string, typeStems: Set<string>): string | undefined {
    const m = ASKED.exec(text);
    if (!m) return undefined;
    const ws = m[1].split(/\s+/);
    const noun = ws.find((w) => /^\p{Lu}/u.test(w)) ?? ws.find((w) => contentTerms(w).length);
    const t = noun ? contentTerms(noun)[0] : undefined;
    return t && !typeStems.has(t) ? t : undefined;
  }

  /** A swear word or a compound built on one ("Bürokratiemist", "Scheißwetter"): venting, not a topic. */
  private isExpletive(word: string): boolean {
    const e = this.data.expletives;
    if (!e) return false;
    return e.words.includes(word)
      || e.heads.some((h) => word.length >= h.length + 3 && word.endsWith(h))
      || e.prefixes.some((p) => word.length >= p.length + 3 && word.startsWith(p));
  }

  private isGap(sentence: string): boolean {
    const s = sentence.toLowerCase();
    return this.gap.some((g) => s.includes(g));
  }

  /** The entry's own question asks the same as the mayor (both ways), so its "Ja."/"Nein." fits. */
  private sameQuestion(ask: Ask, hit: Hit): boolean {
    const phr = hit.chunk.meta.phrasings ?? [];
    if (!phr.length || !ask.terms.length || this.actorClash(ask, hit)) return false;
    const have = this.partsOf(hit.chunk).phrasingTerms;
    const forward = this.share(ask.terms, have);
    const back = this.retriever.reverseCoverage(ask.terms, hit.chunk);
    const min = this.data.yes_no_same_question;
    return forward >= min && back >= min;
  }

  /** IDF-weighted share of `needles` matched in `have`. */
  private share(needles: string[], have: Set<string>): number {
    let total = 0;
    let got = 0;
    for (const t of new Set(needles)) {
      if (/^[\d_]+$/.test(t) && this.retriever.vocabularyMatch(t) === 0) continue;
      const w = this.retriever.idf(t);
      total += w;
      got += w * this.retriever.termMatches(t, have);
    }
    return total ? got / total : 0;
  }

  /** Closest wording between the question and one of the entry's own phrasings (FAQ question, alternatives, heading). */
  private phrasingSimilarity(askVector: number[], hit: Hit): number {
    const id = hit.chunk.meta.chunkId;
    let vs = this.phrasingVectors.get(id);
    if (!vs) {
      vs = (hit.chunk.meta.phrasings ?? []).map((p) => this.wording.embedText(p));
      if (this.phrasingVectors.size >= PASSAGE_CACHE) this.phrasingVectors.delete(this.phrasingVectors.keys().next().value!);
      this.phrasingVectors.set(id, vs);
    }
    let best = 0;
    for (const v of vs) {
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i] * askVector[i];
      best = Math.max(best, s);
    }
    return best;
  }

  /** The candidate lacks a kind of answer that, missing from it, rules out the candidates ranked below it. */
  excludesBelow(j: Pick<Judged, "missingTypes">): boolean {
    return j.missingTypes.some((t) => this.types.excludesBelow(t));
  }

  /** The hard limits a candidate fails. */
  blockedBy(f: Features): string[] {
    return Object.entries(this.data.gates ?? {}).filter(([k, v]) => (f[k as keyof Features] ?? 0) > v).map(([k]) => k);
  }

  /*
   * The steps of judge() that stand on their own are methods: read one at a time, and compiled one at a time
   * by V8 (as one function judge took 150–230 ms to compile on a background thread, and was compiled again
   * each time an array of a new kind reached one of its steps; now about 80 ms).
   */
  judge(ask: Ask, hit: Hit, topScore: number, staffLikelihood = 0): Omit<Judged, "probability"> {
    const m = hit.chunk.meta;
    const { body, yesNoDropped } = this.answerBody(ask, hit);
    const sentences = this.sentencesOf(hit.chunk, body);
    const askTerms = [...new Set(ask.terms)].filter((t) => !/^[\d_]+$/.test(t) || this.retriever.vocabularyMatch(t) > 0);
    const weight = new Map(askTerms.map((t) => [t, this.retriever.idf(t)]));
    const totalWeight = [...weight.values()].reduce((a, b) => a + b, 0) || 1;
    const matches = this.sentenceMatches(sentences, askTerms, weight);
    const shownSentences = this.shownSentences(ask, m.kind, matches);
    const shown = shownSentences.map((x) => x.s).join(" ");

    // A FAQ answer answers its own question: what that question says counts as said (the mayor reads the
    // answer to their question). A newsletter section has only its heading.
    const own = this.partsOf(hit.chunk).own;
    const ownMatch = new Map(askTerms.map((x) => [x, this.retriever.termMatches(x, own)]));
    const shownCoverage = askTerms.reduce((a, x) => a + weight.get(x)! * Math.max(ownMatch.get(x)!, ...shownSentences.map((y) => y.per.get(x)!)), 0) / totalWeight;
    // Terms carried only by "not in our documents" sentences.
    const gapOnly = askTerms.reduce((a, x) => {
      const inGap = matches.some((y) => y.gap && y.per.get(x)! > 0);
      const inFact = matches.some((y) => !y.gap && y.per.get(x)! > 0);
      return a + (inGap && !inFact ? weight.get(x)! : 0);
    }, 0) / totalWeight;

    const strong = ask.types.filter((t) => this.types.isStrong(t));
    const missingTypes = this.missingTypes(strong, m.kind, matches, shown, ask);
    const typeMissing = missingTypes.length ? 1 : 0;

    // The passage's terms as the index stored them at build (title, section, search text), not tokenised again.
    const entryTerms = this.retriever.termsOf(hit.chunk);
    const known = askTerms.filter((t) => this.retriever.vocabularyMatch(t) > 0).sort((a, b) => weight.get(b)! - weight.get(a)!).slice(0, 2);
    const focus = known.length ? Math.min(...known.map((t) => this.retriever.termMatches(t, entryTerms))) : 0;
    const allWeight = [...new Set(ask.terms)].reduce((a, t) => a + this.retriever.idf(t), 0) || 1;
    const unknown = ask.unknown.reduce((a, t) => a + this.retriever.idf(t), 0) / allWeight;

    const shownText = this.shownOf(hit.chunk, shown);
    const { futureClash, currentClash, yearMissing } = this.dateClashes(ask, m, shownText);
    const { list: shownList, set: shownTerms } = shownText;
    const numberMissing = ask.numbers.length ? ask.numbers.filter((n) => !shownList.includes(n)).length / ask.numbers.length : 0;

    // The most telling known term the shown text lacks: a specific name or place the passage does not mention.
    const maxIdf = Math.max(...askTerms.map((t) => this.retriever.idf(t)), 1);
    const missingRare = Math.max(0, ...askTerms.filter((t) => this.retriever.vocabularyMatch(t) > 0 && this.retriever.termMatches(t, shownTerms) === 0).map((t) => this.retriever.idf(t) / maxIdf));
    const bestSentence = [...matches].sort((a, b) => b.score - a.score)[0];
    // Does the entry's own question want the same kind of answer (amount, person, procedure …)?
    const ownTypes = new Set((m.phrasings ?? []).slice(0, m.kind === "faq" ? 1 : 0).flatMap((p) => this.types.detect(p)));
    const typeAgree = !ask.types.length || !ownTypes.size ? 0.5 : ask.types.some((t) => [...ownTypes].some((o) => this.types.compatible(t, o))) ? 1 : 0;
    const askedMissing = ask.asked && !ask.unknown.includes(ask.asked) && this.retriever.termMatches(ask.asked, shownTerms) === 0 ? 1 : 0;
    const bestPair = this.bestPair(matches, askTerms, weight, ownMatch, totalWeight);
    const phrasingTerms = this.partsOf(hit.chunk).phrasingTerms;
    const absentRare = askTerms
      .filter((t) => this.retriever.vocabularyMatch(t) > 0 && this.retriever.termMatches(t, entryTerms) === 0)
      .reduce((a, t) => a + this.retriever.idf(t) / maxIdf, 0);
    const gapBest = bestSentence && bestSentence.score > 0 && bestSentence.gap ? 1 : 0;
    const { programmeAbsent, placeAbsent, outsideAbsent } = this.namesAbsent(ask, hit);
    // The entry itself says it lacks this kind of answer: "Förderhöhe und Antragsweg stehen nicht in unseren
    // Unterlagen" under a question about the maximum amount, whatever other figures the entry holds.
    const saysMissing = (sentence: string) => this.missing.some((g) => sentence.toLowerCase().includes(g));
    const typeGap = strong.some((t) => matches.some((x) => saysMissing(x.s) && this.types.namesType(t, x.s))) ? 1 : 0;

    const features: Features = {
      coverage: hit.coverage,
      shownCoverage,
      focus,
      bestSentence: bestPair,
      phrasingCoverage: phrasingTerms.size ? this.share(askTerms, phrasingTerms) : 0,
      absentRare,
      unknown,
      typeMissing,
      gapOnly,
      gapBest,
      typeGap,
      programmeAbsent,
      placeAbsent,
      outsideAbsent,
      typeAgree,
      askedMissing,
      missingRare,
      numberMissing,
      yearMissing,
      futureClash,
      currentClash,
      noTopic: ask.noTopic ? 1 : 0,
      oppositeShown: this.oppositeShown(ask.text, shown),
      scopeClash: this.scopeClash(ask, shown),
      actorClash: this.actorClash(ask, hit),
      vectorSim: Number.isFinite(hit.vectorSim) ? hit.vectorSim : 0,
      questionMatch: this.retriever.reverseCoverage(ask.terms, hit.chunk),
      phrasingSim: this.phrasingSimilarity(ask.vector ?? (ask.vector = this.wording.embedText(ask.text)), hit),
      contextCoverage: ask.contextTerms.length ? this.share(ask.contextTerms, entryTerms) : 0,
      relScore: topScore > 0 ? hit.score / topScore : 0,
      isFaq: m.kind === "faq" ? 1 : 0,
      yesNoDropped,
      staffLikelihood,
      dialect: ask.dialect ? 1 : 0,
      // Filled by the planner from the labelled examples (they depend on the whole question, not the passage).
      exampleRight: 0,
      exampleWrong: 0,
      exampleNovel: 0,
      exampleVote: 0,
      absentTelling: 0,
      // "Dorferneuerung?" is not answered by what private owners get: which aspect it wants is unknown.
      bareOtherType: ask.bareTopic && typeAgree === 0 ? 1 : 0,
      yesNoAsk: ask.types.length > 0 && ask.types.every((t) => t === "yesno") ? 1 : 0,
    };
    const absent = [...new Set(ask.terms)].filter((t) => !entryTerms.has(t));
    return { hit, shown, features, blocked: this.blockedBy(features), absent, missingTypes };
  }

  /** The answer text to judge: an FAQ's leading "Ja."/"Nein." left out when its question is not the mayor's. */
  private answerBody(ask: Ask, hit: Hit): { body: string; yesNoDropped: number } {
    const body = this.partsOf(hit.chunk).plain;
    if (hit.chunk.meta.kind === "faq" && this.yesNo.test(body) && !(ask.types.includes("yesno") && this.sameQuestion(ask, hit))) {
      // "Nein, Kommunen nicht." answers the entry's own question, not necessarily the mayor's.
      const [first, ...rest] = this.splitter.sentences(body);
      const rest0 = first.replace(this.yesNo, "");
      // "Ja, wenn die Ortsgemeinde … beauftragt hat." without its "Ja" is a bare condition: it reads "Das gilt, wenn …"
      // (user test: the answer started with a sentence fragment).
      const lead = rest0.split(/[\s,]/, 1)[0].toLowerCase();
      const remainder = (this.data.condition_leads ?? []).includes(lead) ? `Das gilt, ${rest0}` : rest0.charAt(0).toUpperCase() + rest0.slice(1);
      return { body: [remainder.split(/\s+/).length > 4 ? remainder : "", ...rest].filter(Boolean).join(" "), yesNoDropped: 1 };
    }
    return { body, yesNoDropped: 0 };
  }

  /** Each sentence with how well it matches each question term, its weighted score, and whether it states a gap. */
  private sentenceMatches(sentences: { s: string; t: Set<string>; gap: boolean }[], askTerms: string[], weight: Map<string, number>): SentenceMatch[] {
    return sentences.map(({ s, t, gap }) => {
      const per = new Map(askTerms.map((x) => [x, this.retriever.termMatches(x, t)]));
      const score = askTerms.reduce((a, x) => a + weight.get(x)! * per.get(x)!, 0);
      return { s, per, score, gap };
    });
  }

  /**
   * Sentences to show: a FAQ answer whole (it is written as one answer); from a newsletter section the
   * sentences that carry the question, in their order, plus the one after the best (it often holds the figure).
   */
  private shownSentences(ask: Ask, kind: string, matches: SentenceMatch[]): SentenceMatch[] {
    let shownIdx: number[];
    // A newsletter section short enough to show whole is one small article: cut, it loses the "Anträge bis …
    // bei der ADD" after the sentences that carry the question.
    const sectionLength = matches.reduce((a, x) => a + x.s.length, 0);
    if (kind === "faq" || (!matches.some((x) => x.gap) && sectionLength <= MAX_SHOWN_CHARS)) shownIdx = matches.map((_, i) => i);
    else {
      const ranked = matches.map((x, i) => ({ i, score: x.score + (ask.types.some((ty) => this.types.isStrong(ty) && this.types.locatesAnswer(ty) && this.types.hasEvidence(ty, x.s)) ? 0.3 : 0) }))
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score);
      const pick = new Set<number>();
      let len = 0;
      for (const r of ranked.slice(0, 4)) {
        if (len + matches[r.i].s.length > MAX_SHOWN_CHARS && pick.size) break;
        pick.add(r.i);
        len += matches[r.i].s.length;
      }
      const best = ranked[0]?.i;
      if (best !== undefined && best + 1 < matches.length && len + matches[best + 1].s.length <= MAX_SHOWN_CHARS) pick.add(best + 1);
      if (!pick.size) matches.slice(0, 2).forEach((_, i) => pick.add(i));
      shownIdx = [...pick].sort((a, b) => a - b);
    }
    return shownIdx.map((i) => matches[i]);
  }

  /**
   * The wanted kind of answer must stand where the question is answered: anywhere in a FAQ answer (written
   * for its question, the answer often comes first: "Die Unfallkasse Rheinland-Pfalz."), in a newsletter
   * section next to the sentences that carry the question.
   */
  private missingTypes(strong: string[], kind: string, matches: SentenceMatch[], shown: string, ask: Ask): string[] {
    const carrying = new Set<number>();
    matches.forEach((x, i) => {
      if (x.score > 0 && !x.gap) for (const j of [i - 1, i, i + 1]) if (j >= 0 && j < matches.length && !matches[j].gap) carrying.add(j);
    });
    const carryText = kind === "faq" ? matches.filter((x) => !x.gap).map((x) => x.s).join(" ") : (carrying.size ? [...carrying].map((i) => matches[i].s) : [shown]).join(" ");
    return strong.filter((t) => !this.types.hasEvidence(t, carryText) || (this.types.totalIsNotItems(t) && this.countsAsked(ask, carryText)));
  }

  /**
   * Does the text give a number of the things asked for ("umfasst 39 Gemeinden", "rund 165 Projekte") - the
   * noun after "welche", or one the question counts itself ("alle 21 LEADER-Regionen")? Then it states a total,
   * and a list in it is at best a part.
   */
  private countsAsked(ask: Ask, text: string): boolean {
    const named = [...ask.text.matchAll(/\p{Lu}/u.test(ask.text) ? COUNTED : COUNTED_LOWER), ...ask.text.matchAll(ALL_OF)].flatMap((m) => contentTerms(m[1]));
    const things = new Set([...(ask.asked ? [ask.asked] : []), ...named]);
    if (!things.size) return false;
    return [...text.matchAll(COUNTED)].some((m) => {
      if (!contentTerms(m[1]).some((t) => things.has(t))) return false;
      // "18 Landkreise: Ahrweiler, Bodenseekreis, … und Weimarer Land" names them all after the count.
      const n = Number.parseInt(m[0], 10);
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40 * n);
      return (after.match(/,/g)?.length ?? 0) + 2 < n;
    });
  }

  /** Dates: a question about the next one needs a date from now on; about today, a recent passage or a status. */
  private dateClashes(ask: Ask, m: Hit["chunk"]["meta"], shown: ShownText): { futureClash: number; currentClash: number; yearMissing: number } {
    const thisYear = this.now().getFullYear();
    const { years: shownYears, standYears, states } = shown;
    // A FAQ's "stand" is when it was last reviewed, not when its facts held: only a newsletter's date counts.
    const issued = m.kind === "newsletter" ? Number((m.date ?? "").slice(0, 4)) || 0 : 0;
    let futureClash = 0;
    if (ask.future) {
      const wanted = ask.years.filter((y) => y >= thisYear);
      futureClash = wanted.length ? (wanted.some((y) => shownYears.includes(y)) ? 0 : 1) : Math.max(0, ...shownYears) < thisYear ? 1 : 0;
    }
    const recent = standYears.length ? Math.min(...standYears) >= thisYear - 1 : Math.max(issued, ...shownYears) >= thisYear - 1;
    const currentClash = ask.current && !ask.future && !recent && !states ? 1 : 0;
    // A year the question names ("2021", "Ende 2025") must be the passage's year or stand in it.
    const entryYear = Number((m.date ?? "").slice(0, 4)) || 0;
    // A year only in the passage's "Stand 2024" note says when its figures were checked, not what happened then.
    const eventYears = shownYears.filter((y) => shownYears.filter((x) => x === y).length > standYears.filter((x) => x === y).length);
    const yearMissing = ask.years.some((y) => y >= 2000 && y !== entryYear && !eventYears.includes(y)) ? 1 : 0;
    return { futureClash, currentClash, yearMissing };
  }

  /** The best sentence together with the next one: an answer usually stands in one place. */
  private bestPair(matches: SentenceMatch[], askTerms: string[], weight: Map<string, number>, ownMatch: Map<string, number>, totalWeight: number): number {
    let bestPair = 0;
    matches.forEach((x, i) => {
      const next = matches[i + 1];
      const got = askTerms.reduce((a, t) => a + weight.get(t)! * Math.max(ownMatch.get(t)!, x.per.get(t)!, next?.per.get(t) ?? 0), 0);
      bestPair = Math.max(bestPair, got / totalWeight);
    });
    return bestPair;
  }

  /** A programme or place the question names that the entry never speaks of. */
  private namesAbsent(ask: Ask, hit: Hit): { programmeAbsent: number; placeAbsent: number; outsideAbsent: number } {
    const m = hit.chunk.meta;
    // The question names a programme ("… bei der LAG Erbeskopf") that the entry never mentions: it is about another one.
    const parts = this.partsOf(hit.chunk);
    const entryLow = (parts.entryLow ??= ` ${`${m.title} ${m.section} ${hit.chunk.searchText}`.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `);
    // Only names that tell one programme from the others count ("Leader" names several): an entry about the
    // LAG Erbeskopf that says "LEADER" does not speak of the LAG Moselfranken.
    const telling = ask.programmes.map((names) => names.filter((n) => !this.sharedProgrammeNames.has(n)));
    const programmeAbsent = telling.some((names) => names.length) && !telling.some((names) => names.some((n) => namesProgramme(entryLow, n))) ? 1 : 0;
    // The question names a place ("Gehört Mertesdorf zur LAG Erbeskopf?") the entry never speaks of.
    const placeText = ask.places.length ? (parts.placeText ??= ` ${normalisePlaceText(`${m.title} ${m.section} ${hit.chunk.searchText}`)} `) : "";
    // Kept apart: a village of the county the passage does not name is often just the asker's own (the answer
    // holds there too); another Land or country it does not name means the passage answers for somewhere else.
    const absent = ask.places.filter((p) => !Places.mentions(p, placeText));
    return { programmeAbsent, placeAbsent: absent.some((p) => !p.outside) ? 1 : 0, outsideAbsent: absent.some((p) => p.outside) ? 1 : 0 };
  }
}
