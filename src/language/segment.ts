/**
 * Splits a mayor's message into sentences, tells questions (and requests) from the story around them,
 * splits run-on dictation at question words, and finds embedded questions ("… fragt, welchen
 * Rechtsstatus ich habe"). Word lists come from language/segmentation.yaml.
 */
import { STOPWORDS } from "../retrieval/german-text.js";

export interface SegmentationData {
  interrogatives: string[];
  verb_first: string[];
  request_starts: string[];
  /**
   * Words after which a request verb inside a sentence still asks ("du Depp sag mir endlich wie hoch …"): without
   * one of them "sag" mid-sentence is mostly told speech ("… und dann sag ich zu ihm").
   */
  request_followers?: string[];
  request_phrases: string[];
  embedding_verbs: string[];
  /** Of those, the verbs that ask by themselves: a statement around them asks ("fragt, ob …"). */
  asking_embedders?: string[];
  /** Punctuation spoken into a dictation app and written out as a word ("komma", "fragezeichen"). */
  spoken_punctuation?: string[];
  /** Words after which such a word is a noun, not a mark ("der Punkt", "ein wichtiger Punkt"). */
  spoken_punctuation_not_after?: string[];
  /** Words that negate the verb before an indirect question ("keiner kann mir sagen, wer …"). */
  negations?: string[];
  abbreviations: string[];
  /** Words no sentence ends with (articles, prepositions, auxiliaries): a line break after one wraps the line. */
  open_line_ends?: string[];
  clause_continuers: string[];
  question_prefixes: string[];
  prepositions: string[];
  context_starts: string[];
  followup_starts: string[];
  anaphora: string[];
  /** Anaphora that are also articles: they point back only when no noun follows them. */
  articles?: string[];
  /** Words that point back to the previous message only ("beide"). */
  turn_anaphora?: string[];
  /** Verbs after which a pronoun of `address_pronouns` addresses the reader ("Können Sie mir sagen …"). */
  address_after?: string[];
  /** Verbs after which "es" is existential ("Gibt es …?") and points back to nothing. */
  existential_es_after?: string[];
  /** Pronouns of address that are also in `anaphora` ("Sie" / "sie", "ihr"). */
  address_pronouns?: string[];
  /** Pronominal adverbs ("dafür"): between messages they point back despite the question's own words. */
  strong_anaphora?: string[];
  strong_anaphora_max_terms?: number;
  /** "und"/"oder": a pronominal adverb after one of these may point to a noun of its own question. */
  coordinators?: string[];
  /** How many earlier messages a follow-up is read with at most (a chain of follow-ups). */
  followup_chain?: number;
  /**
   * Words that only say how complete, or in which form, the answer to the question before should be ("alle",
   * "vollständige Liste"): a question made of these (and of function words) is part of the question before it.
   */
  qualifier_words?: string[];
  /**
   * A fragment right after a question, left open without a full stop ("… Geschäftsführer der LAG Moselfranken? und bei
   * der LAG Mosel"): it starts with one of `starts`, has at most `max_words` words, no verb of `verb_first`, no question
   * word, no pointing word but an article, and none of `not_with` (a subject: "und wir wissen nicht weiter" is story).
   * It asks the question before about something else.
   */
  elliptic_followup?: { starts: string[]; max_words: number; not_with: string[] };
  /**
   * A message that only names a topic ("Ehrenamtskarte?", "gemeindeschwester plus"), at most `max_words` words with no
   * question word, verb, request or pointing word: it asks what the thing is, and is read as `frame` with the topic in
   * place of "{topic}".
   */
  bare_topic?: { max_words: number; frame: string };
}

export interface Segment {
  text: string;
  /** Asks something (question, request, or a message without any sentence that asks). */
  asks: boolean;
}

export interface SplitMessage {
  segments: Segment[];
  /** The actual questions, each on its own (at most MAX_ASKS; further ones are joined to the last). */
  asks: string[];
  /** The sentences around the questions (background, story). */
  context: string;
}

const MAX_ASKS = 3;

export class MessageSplitter {
  private interrogatives: Set<string>;
  private verbFirst: Set<string>;
  private requestStarts: Set<string>;
  private requestPhrases: string[];
  private requestFollowers: Set<string>;
  private embedding: Set<string>;
  private abbreviations: Set<string>;
  private openLineEnds: Set<string>;
  private continuers: Set<string>;
  private prefixes: Set<string>;
  private prepositions: Set<string>;
  private qualifiers: Set<string>;
  /** Words a qualifying sentence may have besides its qualifier words (request verbs and phrases, negations). */
  private qualifierFrame: Set<string>;

  constructor(private data: SegmentationData) {
    this.interrogatives = new Set(data.interrogatives);
    this.verbFirst = new Set(data.verb_first);
    this.requestStarts = new Set(data.request_starts);
    this.requestPhrases = data.request_phrases;
    this.requestFollowers = new Set(data.request_followers ?? []);
    this.embedding = new Set(data.embedding_verbs);
    this.abbreviations = new Set(data.abbreviations);
    this.openLineEnds = new Set(data.open_line_ends ?? []);
    this.continuers = new Set(data.clause_continuers);
    this.prefixes = new Set(data.question_prefixes);
    this.prepositions = new Set(data.prepositions);
    this.qualifiers = new Set(data.qualifier_words ?? []);
    this.qualifierFrame = new Set([...data.verb_first, ...data.request_starts, ...data.request_phrases.flatMap((p) => p.split(" ")),
      ...data.question_prefixes, ...data.anaphora, ...(data.negations ?? [])]);
  }

  private wordsOf(s: string): string[] {
    return s.toLowerCase().match(/[\p{L}\p{N}'’]+/gu) ?? [];
  }

  /**
   * Dictation that wrote spoken punctuation out as words ("… einen bürgerbus punkt gibt es dafür geld komma und wer
   * berät uns fragezeichen"): the words go, they are not words of the question (the knowledge never knew them, and an
   * unknown word sends a question to staff). The message stays dictation and is split at its question words. Only in a
   * message without any mark of its own, and not before a number ("punkt 8 Uhr", "3 komma 5") or after an article
   * ("der Punkt"). Restoring the marks instead was measured too: no better, and it turned off the split of run-on
   * dictation.
   */
  dropSpokenPunctuation(text: string): string {
    const spoken = new Set(this.data.spoken_punctuation ?? []);
    if (!spoken.size || /[.,;:?!]/.test(text)) return text;
    const notAfter = new Set(this.data.spoken_punctuation_not_after ?? []);
    // Words and the whitespace between them: line breaks separate sentences and stay.
    const parts = text.split(/(\s+)/);
    const drop = (i: number) => spoken.has(parts[i].toLowerCase()) && !notAfter.has((parts[i - 2] ?? "").toLowerCase()) && !/^\d/.test(parts[i + 2] ?? "");
    if (!parts.some((_, i) => i % 2 === 0 && drop(i))) return text;
    return parts.filter((_, i) => !(i % 2 === 0 ? drop(i) : i + 1 < parts.length && drop(i + 1))).join("");
  }

  /** Sentences, with "z. B.", "Nr. 3", "1. April" and "e. V." kept whole. */
  sentences(text: string): string[] {
    const out: string[] = [];
    let cur = "";
    const parts = text.split(/(\n+|[?!]+["“”»]?\s*|[.;…]+["“”»]?\s+)/);
    const lowerCase = !/\p{Lu}/u.test(text);
    for (let i = 0; i < parts.length; i += 2) {
      const body = parts[i] ?? "";
      const sep = parts[i + 1] ?? "";
      cur += body + sep;
      if (!sep) continue;
      // A single line break after a word no sentence ends with is a wrapped line, not a new sentence: pasted or typed
      // with Shift+Enter on a phone ("Wie hoch ist⏎die Ehrenamtspauschale?").
      if (sep === "\n" && this.openLineEnds.has(body.match(/([\p{L}]+)\s*$/u)?.[1]?.toLowerCase() ?? "")) {
        cur = cur.slice(0, -1) + " ";
        continue;
      }
      const trimmedSep = sep.trim();
      if (/^[.]+$/.test(trimmedSep) || /^\.["“”»]$/.test(trimmedSep)) {
        const last = body.match(/([\p{L}\p{N}]+)\s*$/u)?.[1]?.toLowerCase() ?? "";
        const next = parts[i + 2] ?? "";
        // An abbreviation, an ordinal ("1. April") or a lower-case continuation does not end the sentence.
        // A message typed all in lower case starts its sentences in lower case too.
        if (this.abbreviations.has(last) || /^\d{1,2}$/.test(last) || (/^[\p{Ll}\d]/u.test(next) && !lowerCase)) continue;
      }
      if (cur.trim()) out.push(cur.trim());
      cur = "";
    }
    if (cur.trim()) out.push(cur.trim());
    return out;
  }

  /** Starts with a question word (or, when `verbs`, a leading verb as in "gibt es …"), maybe after "und", "seit" … */
  private startsLikeQuestion(words: string[], verbs = true): boolean {
    const [a, b] = words;
    if (!a) return false;
    const opener = (w: string) => this.interrogatives.has(w) || (verbs && this.verbFirst.has(w));
    if (opener(a)) return true;
    // "und wie …", "aber gibt es …", "also wer …"
    if (this.prefixes.has(a) && b && opener(b)) return true;
    // "seit wann", "bis wann", "ab wann", "für wen", "an wen", "in welchem", "mit wem"
    if (b && this.interrogatives.has(b) && this.prepositions.has(a)) return true;
    return false;
  }

  private isRequest(s: string, words: string[]): boolean {
    const low = ` ${words.join(" ")} `;
    if (words[0] && this.requestStarts.has(words[0])) return true;
    return this.requestPhrases.some((p) => low.includes(` ${p} `));
  }

  /**
   * Does this sentence ask something? A question mark says so; without one, a question word or a request
   * does. A leading verb ("gibt es …", "ist das …") counts only in unpunctuated dictation: in a punctuated
   * message "Sind grad vom Fest heim." is a statement.
   */
  asks(sentence: string, dictated = true): boolean {
    if (/\?\s*["“”»]?\s*$/.test(sentence)) return true;
    const w = this.wordsOf(sentence);
    if (this.isRequest(sentence, w)) return true;
    // "… für ihr Haus? Und gibt es Geld für Photovoltaik": a sentence left open that starts "und"/"oder"/"aber" and a
    // verb is a question whose mark was forgotten; "Sind grad vom Fest heim." is closed by its full stop.
    const open = !/[.!]\s*["“”»]?\s*$/.test(sentence);
    const linkedVerb = w.length > 2 && this.prefixes.has(w[0]) && this.verbFirst.has(w[1]);
    return this.startsLikeQuestion(w, dictated || (open && linkedVerb));
  }

  /**
   * Does the sentence ask for something anywhere, not only at its start? A request after the words around it
   * ("Du blöder Bot, sag mir endlich, wie hoch die Pauschale ist"; "du depp sag mir mal wer da zahlt") or an
   * indirect question ("… keiner kann mir sagen, wer zahlt"). Used where a sentence's start is taken up by
   * something else, such as an insult: the request inside is still a question.
   */
  requestsInside(sentence: string): boolean {
    return this.requestInside(sentence) !== undefined;
  }

  /**
   * The request inside a sentence, from its request verb or indirect question on ("sag mir endlich wie hoch die
   * Pauschale ist"); the whole sentence when it asks from its start; undefined when it asks nothing.
   */
  requestInside(sentence: string): string | undefined {
    const w = this.wordsOf(sentence);
    if (w[0] && this.requestStarts.has(w[0])) return sentence.trim();
    const clauses = [...sentence.matchAll(/(?:[,:;–—]|\s-\s)\s*/g)].map((m) => m.index + m[0].length);
    for (const at of clauses) {
      const cw = this.wordsOf(sentence.slice(at));
      if (cw[0] && this.requestStarts.has(cw[0])) return sentence.slice(at).trim();
    }
    // Unpunctuated: the request verb with "mir", "mal" … after it, wherever it stands.
    for (const m of sentence.matchAll(/\p{L}+/gu)) {
      const rest = this.wordsOf(sentence.slice(m.index));
      if (m.index > 0 && this.requestStarts.has(rest[0]) && this.requestFollowers.has(rest[1] ?? "")) return sentence.slice(m.index).trim();
    }
    const indirect = this.indirectQuestion(sentence);
    if (indirect !== undefined) return indirect;
    return this.isRequest(sentence, w) ? sentence.trim() : undefined;
  }

  /**
   * The indirect question in a statement, when the statement's verb asks by itself ("Der Rat fragt, ob …") or is
   * negated ("… seit Wochen kann mir keiner sagen, an welche LAG wir uns wenden müssen"); "Ich weiß, wie das
   * geht." asks nothing (undefined). Such a statement is story next to a question of its own, but it is what
   * the message asks when everything else in it is only a rant.
   */
  indirectQuestion(sentence: string): string | undefined {
    const asking = new Set(this.data.asking_embedders ?? []);
    const negations = new Set(this.data.negations ?? []);
    // The question may follow a relative clause ("Jetzt streiten der Rat und der Verein, der das Haus nutzt, wer
    // da streuen muss."): every comma after the asking verb is tried, the first that opens a question counts.
    for (const m of sentence.matchAll(/[,:–—-]\s*/g)) {
      const before = this.wordsOf(sentence.slice(0, m.index));
      // An asking verb embeds the question by itself; a negation only with an embedding verb ("keiner kann sagen, …").
      if (!before.some((x) => asking.has(x)) && !(before.some((x) => negations.has(x)) && before.some((x) => this.embedding.has(x)))) continue;
      const inner = sentence.slice(m.index + m[0].length);
      const after = this.wordsOf(inner);
      if (after.length >= 3 && this.startsLikeQuestion(after)) return inner.trim();
    }
    return undefined;
  }

  /**
   * Run-on dictation ("hat das land geld gegeben wie viel war das und läuft das noch") is split before
   * a question word or "und" + question start, once the part before is a question of its own.
   */
  private splitRunOn(sentence: string, dictated: boolean): string[] {
    const tokens = sentence.split(/\s+/);
    if (!dictated || tokens.length < 10 || /[,;:]/.test(sentence.replace(/\d[,.]\d/g, ""))) return [sentence];
    const parts: string[] = [];
    let start = 0;
    for (let i = 4; i < tokens.length - 2; i++) {
      const w = tokens[i].toLowerCase();
      const prev = tokens[i - 1].toLowerCase();
      const head = tokens.slice(start, i).map((t) => t.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ""));
      if (i - start < 4 || !(this.startsLikeQuestion(head) || this.isRequest("", head))) continue;
      const two = `${w} ${tokens[i + 1].toLowerCase()}`;
      // Right after the question's verb or question word, "denn" is a particle, not a reason: "wer hat denn damals …".
      const isContext = !this.verbFirst.has(prev) && !this.interrogatives.has(prev) && (this.data.context_starts ?? []).some((c) => c === w || c === two || two.startsWith(`${c} `));
      const isUnd = w === "und" && (this.interrogatives.has(tokens[i + 1].toLowerCase()) || this.verbFirst.has(tokens[i + 1].toLowerCase()));
      // "so wie", "genauso wie", "egal wie" and "wie viel" after a number word are not new questions.
      const isWh = this.interrogatives.has(w) && w !== "ob" && !this.continuers.has(prev) && !this.interrogatives.has(prev);
      if (isUnd || isWh || isContext) {
        parts.push(tokens.slice(start, i).join(" "));
        start = isUnd ? i + 1 : i;
      }
    }
    parts.push(tokens.slice(start).join(" "));
    return parts.filter((p) => p.trim());
  }

  /**
   * Two questions in one sentence, joined by "und"/"oder"/"sowie" and a new question start ("Wie hoch ist die
   * Ehrenamtspauschale und wer bekommt die Ehrenamtskarte?"). The message stays one ask: read whole, it often
   * finds the entry that answers both (split at once, one part went to staff and the other's answer counted as
   * wrong for a message that belongs to staff). The assistant plans a part on its own when the passage shown for the
   * whole lacks one of its nouns. Only when the part before is a question of its own (four
   * words or more: "Wann und wo …" is one question) and the part after has three words or more; after "oder" only a
   * question word starts a new question ("Muss ich das melden oder reicht eine Liste?" asks one thing).
   */
  splitCoordinated(sentence: string): string[] {
    const coordinators = new Set(this.data.coordinators ?? []);
    if (!coordinators.size) return [sentence];
    const tokens = sentence.split(/\s+/).filter(Boolean);
    const bare = (t: string | undefined) => (t ?? "").toLowerCase().replace(/[^\p{L}\p{N}']/gu, "");
    const asked = /\?\s*["“”»]?\s*$/.test(sentence);
    const parts: string[] = [];
    let start = 0;
    for (let i = 4; i < tokens.length - 2; i++) {
      const c = bare(tokens[i]);
      if (!coordinators.has(c)) continue;
      const next = [bare(tokens[i + 1]), bare(tokens[i + 2])];
      const wh = this.interrogatives.has(next[0]) || (this.prepositions.has(next[0]) && this.interrogatives.has(next[1]));
      if (!(wh || (c === "und" && this.verbFirst.has(next[0])))) continue;
      const head = tokens.slice(start, i).map(bare).filter(Boolean);
      if (head.length < 4 || !(this.startsLikeQuestion(head) || this.isRequest("", head))) continue;
      if (tokens.length - (i + 1) < 3) continue;
      const text = tokens.slice(start, i).join(" ").replace(/[,;:–—-]+$/, "");
      parts.push(asked ? `${text}?` : text);
      start = i + 1;
    }
    if (!parts.length) return [sentence];
    parts.push(tokens.slice(start).join(" "));
    return parts;
  }

  /** "Meine Enkelin fragt, welchen Rechtsstatus ich habe?" → "welchen Rechtsstatus ich habe?" */
  private embeddedAsk(sentence: string): string {
    const w = this.wordsOf(sentence);
    if (this.startsLikeQuestion(w)) return sentence;
    const m = /^(.*?[,:–—-]\s*)((?:\p{L}+\s+)?(\p{L}+)\b[\s\S]*)$/u.exec(sentence);
    if (!m) return sentence;
    const before = this.wordsOf(m[1]);
    const after = this.wordsOf(m[2]);
    const startsAsk = this.startsLikeQuestion(after);
    const introduced = before.some((x) => this.embedding.has(x));
    return startsAsk && introduced && after.length >= 3 ? m[2].trim() : sentence;
  }

  /**
   * Does this message continue the previous question? Only when it starts like a continuation or points
   * back, and has few content words of its own: a question that names its own topic stands alone.
   * `withinMessage`: what came before is a story in the same message. After the previous message instead, "der/
   * die/das" before a noun do not point back, and a pointing word after the question's own noun points to that
   * noun ("Was sind Bürgerprojekte und wie viel Geld gibt es da?"), not to the previous message.
   */
  /** Starts like a follow-up ("und bis wann?", "gilt das auch …", "was ist mit …"; `followup_starts`). */
  startsFollowup(text: string): boolean {
    const joined = ` ${this.wordsOf(text).join(" ")} `;
    return this.data.followup_starts.some((p) => joined.startsWith(` ${p} `));
  }

  continues(text: string, contentTerms: number, withinMessage = true): boolean {
    const w = this.wordsOf(text);
    if (!withinMessage && this.pointsBackStrongly(w, contentTerms)) return true;
    if (contentTerms > 3) return false;
    return this.startsFollowup(text) || (this.pointsBack(w, withinMessage) && contentTerms <= 2) || contentTerms === 0;
  }

  /**
   * Does this question name what it asks about only by a pointing word ("Geht das?", "Was sagst du dazu?"),
   * with at most two content words of its own? Stricter than `continues`: a leading "und" or a question
   * without content words ("Und, wie läuft's bei dir so?") does not point at anything.
   */
  refersBack(text: string, contentTerms: number): boolean {
    return contentTerms <= 2 && this.pointsBack(this.wordsOf(text), true);
  }

  /**
   * Has the question a pointing word ("das", "da", "dafür") that ties it to what came before in the same message? The
   * "es" of "gibt es" names nothing ("Und gibt es Förderung für Glasfaser?"). In a verbless fragment an article before a
   * noun names a new subject ("Wie hoch ist die Übungsleiterpauschale? Und die Feuerwehrrente?"); in a sentence it may
   * be a pronoun ("Ist das Vorschrift?").
   */
  hasPointingWord(text: string): boolean {
    const existential = new Set(this.data.existential_es_after ?? []);
    const w = this.wordsOf(text);
    return this.pointsBack(w.filter((x, i) => !(x === "es" && i > 0 && existential.has(w[i - 1]))), true, this.isFragment(text));
  }

  /** A pointing word ("das", "dafür", "sie"), not "Sie" after "Können" that addresses the reader. */
  private pointsBack(w: string[], withinMessage: boolean, articlesBeforeNouns = !withinMessage): boolean {
    // "die" in "gibt es die Ehrenamtskarte" is an article, in "was kostet die?" a pronoun. After a story in the
    // same message an article still ties the question to it ("Wir haben einen Dorfladen. Wer fördert die
    // Kühltheke?": measured, reading such questions alone cost more wrong answers); after the previous message
    // an article points back only when no word of substance follows it.
    const articles = new Set(articlesBeforeNouns ? this.data.articles ?? [] : []);
    const isContent = (x: string) => !STOPWORDS.has(x) && !this.data.anaphora.includes(x) && !this.data.turn_anaphora?.includes(x) && !/^\d/.test(x);
    const address = new Set(this.data.address_after ?? []);
    const addressPronouns = new Set(this.data.address_pronouns ?? []);
    const anaphora = new Set([...this.data.anaphora, ...(withinMessage ? [] : this.data.turn_anaphora ?? [])]);
    const existential = new Set(this.data.existential_es_after ?? []);
    return w.some((x, i) => anaphora.has(x)
      && !(i > 0 && address.has(w[i - 1]) && addressPronouns.has(x))
      && !(!withinMessage && x === "es" && i > 0 && existential.has(w[i - 1]))
      && (!articles.has(x) || i + 1 >= w.length || !isContent(w[i + 1]))
      && (withinMessage || !w.slice(0, i).some(isContent)));
  }

  /**
   * A pronominal adverb ("dafür", "darüber") asks for a thing named before it. Between messages that thing is in
   * the previous message unless the question names it itself before "und"/"oder".
   */
  private pointsBackStrongly(w: string[], contentTerms: number): boolean {
    const strong = new Set(this.data.strong_anaphora ?? []);
    if (!strong.size || contentTerms > (this.data.strong_anaphora_max_terms ?? 0)) return false;
    const coordinators = new Set(this.data.coordinators ?? []);
    const isContent = (x: string) => !STOPWORDS.has(x) && !this.data.anaphora.includes(x) && !/^\d/.test(x);
    return w.some((x, i) => strong.has(x)
      && !w.slice(0, i).some((y, k) => coordinators.has(y) && w.slice(0, k).some(isContent)));
  }

  /**
   * Does this sentence only qualify the question `before` it: no question word of its own and, besides function
   * words, pointing words, request verbs and words of that question, only words of `qualifier_words` (one of them
   * not after a preposition)?
   */
  qualifies(ask: string, before = ""): boolean {
    const w = this.wordsOf(ask);
    if (!w.some((x, i) => this.qualifiers.has(x) && !(i > 0 && this.prepositions.has(w[i - 1])))) return false;
    if (w.some((x) => this.interrogatives.has(x))) return false;
    // It may name again what the question before asks about ("… Ich brauch alle Projekte, nicht nur ein paar.").
    const named = new Set(this.wordsOf(before));
    return w.every((x) => this.qualifiers.has(x) || named.has(x) || STOPWORDS.has(x) || this.qualifierFrame.has(x));
  }

  /** The question a message that only names a topic asks ("Ehrenamtskarte?" → "Was ist Ehrenamtskarte?"; `bare_topic`). */
  bareTopicQuestion(text: string): string | undefined {
    const b = this.data.bare_topic;
    if (!b) return undefined;
    const w = this.wordsOf(text);
    if (!w.length || w.length > b.max_words || w.every((x) => STOPWORDS.has(x))) return undefined;
    const asks = (x: string) => this.interrogatives.has(x) || this.verbFirst.has(x) || this.prefixes.has(x) || this.requestStarts.has(x) || this.data.anaphora.includes(x);
    if (w.some(asks)) return undefined;
    return b.frame.replace("{topic}", text.trim().replace(/[?!.\s]+$/u, ""));
  }

  /** A fragment left open after a question asks it (`elliptic_followup`). */
  private elliptic(sentence: string): boolean {
    return !/[.!]\s*["“”»]?\s*$/.test(sentence) && this.isFragment(sentence);
  }

  /**
   * A verbless fragment that asks the question before it again about something else ("Und die Lotto-Stiftung?", "und
   * bei der LAG Mosel"; `elliptic_followup`).
   */
  isFragment(sentence: string): boolean {
    const e = this.data.elliptic_followup;
    if (!e) return false;
    const w = this.wordsOf(sentence);
    // It names the other thing: a noun (capitalised after its first word), a number ("Und 2040"), or in a message typed
    // in lower case a word of substance.
    const words = sentence.match(/[\p{L}\p{N}-]+/gu) ?? [];
    const names = sentence === sentence.toLowerCase() ? w.slice(1).some((x) => !STOPWORDS.has(x) && x.length >= 4) : words.slice(1).some((x) => /^[\p{Lu}\p{N}]/u.test(x));
    // A question word, a verb or a pointing word other than an article makes it a question of its own ("Und woher kam das
    // Geld dafür?", "und bleibt da der unfallschutz").
    const articles = new Set(this.data.articles ?? []);
    const pointing = (x: string) => this.data.anaphora.includes(x) && !articles.has(x);
    return names && w.length >= 2 && w.length <= e.max_words && e.starts.includes(w[0])
      && !w.some((x) => this.verbFirst.has(x) || this.interrogatives.has(x) || pointing(x) || e.not_with.includes(x));
  }

  /** How many earlier messages a follow-up is read with at most. */
  get followupChain(): number {
    return Math.max(1, this.data.followup_chain ?? 1);
  }

  split(text: string): SplitMessage {
    const segments: Segment[] = [];
    const dictated = !/[.?!;]/.test(text);
    for (const s of this.sentences(text)) {
      const pieces = this.splitRunOn(s, dictated);
      // Pieces of run-on dictation ask when they start like a question; the others are story around them.
      for (const p of pieces) {
        // "… Bitte alle." / "… Gibt's da eine vollständige Liste?" / "… Die komplette Liste, nicht nur Beispiele."
        // asks for the answer to the question right before it in a certain form: read alone, it is that question
        // again without its condition (or story around it), and answering the question hid that the condition
        // was not met. It becomes part of that question.
        const last = segments[segments.length - 1];
        if (last?.asks && this.qualifies(p, last.text)) last.text = `${last.text} ${p}`;
        else segments.push({ text: p, asks: this.asks(p, dictated) });
      }
    }
    segments.forEach((seg, i) => {
      if (!seg.asks && segments[i - 1]?.asks && this.elliptic(seg.text)) seg.asks = true;
    });
    // Typed on a phone, the question at the end often lacks its mark ("… so 50 euro. kann der trotzdem die
    // ehrenamtskarte kriegen"): when nothing else asks, a last sentence left open that starts like a question asks;
    // the sentences closed by a full stop before it are story. ("Sind grad vom Fest heim." stays closed.)
    const tail = segments[segments.length - 1];
    if (segments.length > 1 && !segments.some((s) => s.asks) && tail && !/[.!]\s*["“”»]?\s*$/.test(tail.text) && this.startsLikeQuestion(this.wordsOf(tail.text))) tail.asks = true;
    let asks = segments.filter((s) => s.asks).map((s) => this.embeddedAsk(s.text));
    const context = segments.filter((s) => !s.asks).map((s) => s.text).join(" ");
    // A message that asks nothing in form ("sammelversicherung deckungssummen") is one ask as a whole.
    if (!asks.length) return { segments, asks: [text.trim()], context: "" };
    if (asks.length > MAX_ASKS) asks = [...asks.slice(0, MAX_ASKS - 1), asks.slice(MAX_ASKS - 1).join(" ")];
    return { segments, asks, context };
  }
}
