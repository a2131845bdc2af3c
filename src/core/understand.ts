import { IntentClassifier, type IntentGuess } from "../language/intent-classifier.js";
import { AnswerTypes } from "../language/answer-type.js";
import { MessageSplitter, type SplitMessage } from "../language/segment.js";
import { toStandardGerman } from "../language/dialect.js";
import type { LanguageData } from "../language/resources.js";
import { STOPWORDS, stem, terms } from "../retrieval/german-text.js";
import { languageRegex } from "../language/regex.js";
import { correctTypos, SlipModel, stemPrefixes, type SpellingOptions } from "../language/spelling.js";

export type SmalltalkType = "greeting" | "thanks" | "capabilities" | "goodbye" | "identity" | "chitchat";
export type RefuseType = "abuse" | "injection" | "other_users" | "private_data" | "political" | "illegal";
export type HandoverType = "person_requested" | "individual_case";

export type Understanding =
  | { kind: "smalltalk"; type: SmalltalkType; reasons: string[] }
  | {
      kind: "refuse";
      type: RefuseType;
      reasons: string[];
      /** Declined by the intent model alone, and not surely (language/safety.yaml, refusal_review_below): staff check it. */
      review?: boolean;
    }
  | { kind: "handover"; type: HandoverType; reasons: string[]; asks: string[]; context: string }
  | {
      kind: "question";
      reasons: string[];
      asks: string[];
      context: string;
      /**
       * The story told before the first question: what "das", "da", "die" in it point back to. A rant after the
       * question ("… Ihr dreht da ja eh dauernd dran rum") is not what it asks about. Empty: no story before it.
       */
      storyBefore: string;
      /** How much the message still looks like an individual case or a request for a person (0..1). */
      staffLikelihood: number;
      /** Written in dialect: words still unknown after translation are dialect, not the point of the question. */
      dialect: boolean;
    };

/** Intents that decline the whole message even when it also asks something real. */
const DECLINE = new Set(["injection", "other_users", "private_data", "political", "evading_rules"]);
/** A part this surely a greeting/thanks (probability) is social whatever its words ("Sehr geehrte Damen und Herren"). */
const SURELY_SOCIAL = 0.8;
/** A short part this likely social is social even if a word of it occurs in the knowledge ("Gudde Moien, wéi geet et?"). */
const CLEARLY_SOCIAL = 0.5;
const GREETING_LIKE = new Set(["greeting", "thanks", "goodbye"]);
const SOCIAL_PRIORITY: SmalltalkType[] = ["capabilities", "identity", "chitchat", "thanks", "goodbye", "greeting"];
/** Declines whose text is never kept: abuse and injection payloads. */
const NEVER_KEPT = new Set<RefuseType>(["abuse", "injection"]);

const REFUSE_TYPE: Record<string, RefuseType> = {
  injection: "injection", other_users: "other_users", private_data: "private_data", political: "political", evading_rules: "illegal", abuse: "abuse",
};

/**
 * First step for every message: dialect to standard German, split into questions and story, and the
 * intent of each part (example-based classifier plus a few safety rules). Decides what kind of reply
 * the message needs; a real question in it is never swallowed by a greeting or a rude word.
 */
export class Understander {
  readonly splitter: MessageSplitter;
  readonly classifier: IntentClassifier;
  private safety: { name: string; intent: string; re: RegExp; caseSensitive: boolean; yieldsToIntents: boolean }[];
  private permission: RegExp[];
  private ruleQuestions: RegExp[];
  private botAddress: RegExp[];
  /** Standard German forms the dialect lexicons translate into. */
  private standardForms: Set<string>;
  private firstNames: Set<string>;
  /** Intents whose action is smalltalk (greeting, thanks, goodbye, chit-chat, …). */
  private socialIntents: Set<string>;
  /** The words of the chat intents' examples and must-match messages. */
  private socialStems: Set<string>;
  private commonStems: Set<string>;
  /** Corrections already worked out, per word as typed (the vocabulary is fixed for this understander). */
  private spellingCache = new Map<string, string | null>();
  private slips: SlipModel;

  /** `knows` tells whether the knowledge uses a (stemmed) term: a part about a known topic is not chat. */
  constructor(
    private data: LanguageData,
    knowledgeQuestions: string[],
    private knows: (term: string) => boolean = () => false,
    /** Whether the knowledge uses exactly this stemmed term (no typo or compound match). */
    private knowsExactly: (term: string) => boolean = () => false,
    private answerTypes = new AnswerTypes(data.answerTypes, data.firstNames),
    /** Every stemmed term of the knowledge (for typos with two errors in one long word). */
    private vocabulary?: () => Iterable<string>,
  ) {
    this.standardForms = new Set([...data.dialect.plain.values(), ...data.dialect.ambiguous.values()].flatMap((v) => v.split(/\s+/)));
    this.firstNames = new Set(data.firstNames.map((n) => n.toLowerCase()));
    // Words people write in messages (the intent examples): a typo one error from one of them is not clearly
    // a typo of a word of the knowledge.
    this.commonStems = new Set(data.intents.flatMap((d) => [...d.examples, ...(d.must_match ?? []), ...(d.must_not_match ?? [])]).flatMap((t) => terms(t)));
    this.slips = new SlipModel(data.spelling);
    this.splitter = new MessageSplitter(data.segmentation);
    this.classifier = new IntentClassifier(data.intents, knowledgeQuestions);
    this.socialIntents = new Set(data.intents.filter((d) => d.action === "smalltalk").map((d) => d.intent));
    this.socialStems = new Set(data.intents.filter((d) => d.action === "smalltalk").flatMap((d) => [...d.examples, ...(d.must_match ?? [])]).flatMap((t) => terms(t)));
    this.permission = data.safety.permission_questions.map((p) => languageRegex(p));
    this.ruleQuestions = (data.safety.rule_questions ?? []).map((p) => languageRegex(p));
    this.botAddress = (data.safety.bot_address ?? []).map((p) => languageRegex(p));
    this.safety = data.safety.rules.map((r) => ({ name: r.name, intent: r.intent, re: languageRegex(r.pattern), caseSensitive: Boolean(r.case_sensitive), yieldsToIntents: Boolean(r.yields_to_intents) }));
  }

  /**
   * Does this ask whether something is allowed or required ("Darf ich …", "Müssen wir …")? Such a question asks
   * for a rule: it is never declined as a request to break one, and a list of programmes does not answer it.
   */
  asksPermission(text: string): boolean {
    const low = text.toLowerCase().trim();
    return this.permission.some((re) => re.test(low));
  }

  /**
   * What a follow-up in a conversation is read with: the previous message and, as long as each continued the
   * one before, the earlier ones ("Was ist das Regionalbudget?" → "Und wie viel gibt es pro Projekt?" → "Wer
   * entscheidet darüber?"). `earlier`: the conversation's questions, oldest first.
   */
  antecedentOf(earlier: string[]): string | undefined {
    const n = earlier.length;
    if (!n) return undefined;
    let text = earlier[n - 1];
    for (let i = n - 1; i > 0 && n - i < this.splitter.followupChain; i--) {
      if (!this.continues(earlier[i], true)) break;
      text = `${earlier[i - 1]} ${text}`;
    }
    return text;
  }

  /**
   * A message without words of its own that asks on about the previous question ("Und bis wann?", "Und seit wann
   * gilt die?", "Geht das auch?"): it starts like a follow-up or points back. Alone it would get the capabilities
   * reply; after a question it is that question's follow-up.
   */
  asksOn(text: string): boolean {
    // "bis wann?", "wie viel?": a question for a kind of answer with nothing it could be about asks about the one before.
    return this.splitter.startsFollowup(text) || this.refersBack(text) || this.answerTypes.analyse(text).types.length > 0;
  }

  private personWords?: Set<string>;

  /**
   * A wish for a person and nothing else ("Mensch", "Ich möchte mit jemandem sprechen"): every word of substance is
   * one the person_request examples use. Such a message is about the question before it, not a matter of its own
   * (searched on its own, "Mensch" found the Aktion Mensch).
   */
  asksOnlyForPerson(text: string): boolean {
    this.personWords ??= wordsTypicalOf(this.classifier.intents, "person_request", "question");
    return terms(text).every((t) => this.personWords!.has(t));
  }

  /**
   * The kinds of answer a message asks for when it names nothing else ("Und die Fristen?", "bis wann?" → deadline);
   * empty when it has a word of its own ("Bis wann muss der Antrag bei der Kreisstiftung sein?").
   */
  bareAsk(text: string): string[] {
    const a = this.answerTypes.analyse(text);
    const typeStems = new Set(a.typeWords.flatMap((w) => terms(w)));
    return terms(text).every((t) => typeStems.has(t)) ? a.types : [];
  }

  /** Does this question point at something said before it by a pointing word only ("Geht das?")? */
  refersBack(ask: string): boolean {
    const typeStems = new Set(this.answerTypes.analyse(ask).typeWords.flatMap((w) => terms(w)));
    return this.splitter.refersBack(ask, terms(ask).filter((t) => !typeStems.has(t)).length);
  }

  /**
   * Does this question continue what was said before it (few own content words, points back)? `turn`: what
   * was said before is the previous message, not a story in this one - there an article ("gibt es die
   * Ehrenamtskarte") does not point back.
   */
  continues(ask: string, turn = false): boolean {
    // Words that only name the kind of answer ("hoch" in "wie hoch?", "Frist") are not a topic of its own:
    // "… einen Selbstbehalt? Wie hoch?" asks about the Selbstbehalt.
    const typeStems = new Set(this.answerTypes.analyse(ask).typeWords.flatMap((w) => terms(w)));
    return this.splitter.continues(ask, terms(ask).filter((t) => !typeStems.has(t)).length, !turn);
  }

  /**
   * A word a dialect word may be reshaped into: a function word, a standard form from the dialect lexicons,
   * or a word of the knowledge itself.
   */
  private isStandardWord = (w: string): boolean => STOPWORDS.has(w) || this.standardForms.has(w) || this.knowsExactly(stem(w));

  /** Words a typo correction leaves alone: function words, dialect words and their standard forms, first names. */
  private keepSpelling = (w: string): boolean =>
    STOPWORDS.has(w) || this.standardForms.has(w) || this.data.dialect.plain.has(w) || this.data.dialect.ambiguous.has(w) || this.firstNames.has(w);

  private get spelling(): SpellingOptions {
    return {
      knows: this.knowsExactly,
      keep: this.keepSpelling,
      common: (t) => this.commonStems.has(t),
      vocabulary: () => this.vocabulary?.() ?? [],
      commonVocabulary: () => this.commonStems,
      slips: this.slips,
      stemStarts: this.vocabulary ? this.stemStarts : undefined,
    };
  }

  private prefixes?: Set<string>;
  /** Starts of the knowledge's and the common stems (the vocabulary is fixed for this understander). */
  private stemStarts = (p: string): boolean => (this.prefixes ??= stemPrefixes(this.vocabulary?.() ?? [], this.commonStems)).has(p);

  /**
   * A greeting before a comma and a question is a sentence of its own ("Guten Morgen, was kostet die
   * Ehrenamtskarte?"): read as part of the question, its words were weighed against every passage (a user test
   * saw 0.94 fall to 0.50).
   */
  private greetingApart(text: string): string {
    const m = /^\s*([^,.!?;:\n]{2,40}?)\s*,\s*(\S[\s\S]*)$/u.exec(text);
    if (!m) return text;
    // Only before a question: a greeting and a statement stay one sentence (alone, a statement beside a greeting
    // would be read as chat).
    if (!this.splitter.split(m[2]).segments[0]?.asks) return text;
    const g = this.classifier.classify(m[1]);
    return GREETING_LIKE.has(g.intent) && g.similarity >= SURELY_SOCIAL ? `${m[1]}! ${m[2]}` : text;
  }

  /** Dialect to standard German, then clear typing errors in words the knowledge would otherwise not know. */
  standardGerman(text: string): { text: string; dialect: boolean; corrections: string[] } {
    const r = toStandardGerman(this.splitter.dropSpokenPunctuation(text), this.data.dialect, this.isStandardWord);
    const t = correctTypos(r.text, this.spelling, this.spellingCache);
    return { text: t.text, dialect: r.isDialect, corrections: t.corrections.map((c) => `${c.from}→${c.to}`) };
  }

  understand(raw: string): Understanding & { standard: string; split: SplitMessage } {
    const std = this.standardGerman(raw);
    std.text = this.greetingApart(std.text);
    const split = this.splitter.split(std.text);
    const done = <T extends Understanding>(u: T) => ({ ...u, standard: std.text, split });
    const languageReasons = [...(std.dialect ? ["language:dialect"] : []), ...std.corrections.map((c) => `spelling:${c}`)];

    const low = std.text.toLowerCase();
    const rule = this.safety.find((r) => r.re.test(r.caseSensitive ? std.text : low));
    if (rule && REFUSE_TYPE[rule.intent]) return done({ kind: "refuse", type: REFUSE_TYPE[rule.intent], reasons: [rule.name, ...languageReasons] });
    const handOverCase = () => done({ kind: "handover", type: "individual_case", reasons: [rule!.name, ...languageReasons], asks: split.asks, context: split.context });
    if (rule?.intent === "individual_case" && !rule.yieldsToIntents) return handOverCase();

    // Classified as written and in standard German: a dialect greeting may match its examples either way.
    const classify = (original: string, standard: string) => {
      const a = this.classifier.classify(standard);
      if (original === standard) return a;
      const b = this.classifier.classify(original);
      return b.intent !== "question" && b.similarity > a.similarity ? b : a;
    };
    const whole = classify(raw, std.text);
    const rawSplit = std.dialect ? this.splitter.split(raw).segments : [];
    const parts0 = split.segments.length > 1
      ? split.segments.map((s, i) => ({ text: s.text, asks: s.asks, guess: classify(rawSplit[i]?.text ?? s.text, s.text) }))
      : [{ text: std.text, asks: split.segments[0]?.asks ?? true, guess: whole }];
    // An insult with a request inside and no question mark ("Du blöder Bot, sag mir endlich, wie hoch die
    // Ehrenamtspauschale ist"): the request is what it asks, read without the insult before it.
    const parts = parts0.map((p) => {
      if (p.guess.intent !== "abuse" || p.asks) return p;
      const inner = this.splitter.requestInside(p.text);
      return inner && terms(inner).some((x) => this.knows(x)) ? { text: inner, asks: true, guess: classify(inner, inner), request: true } : p;
    });
    const why = (g: IntentGuess) => `intent:${g.intent}(${g.similarity.toFixed(2)})`;

    // Parts that ask something carry the message; a statement is story around them — unless the message asks
    // nothing in form, then it is read as a whole ("Eben ist einer von der Leiter gefallen.").
    const asking = parts.filter((p) => p.asks);
    // Declined: a request to break rules, injection, politics or other users' data — in the message as a whole
    // or in what it asks, but never a question whether something is allowed.
    const permission = (t: string) => this.asksPermission(t) || this.ruleQuestions.some((re) => re.test(t.toLowerCase()));
    const decline = [whole, ...(asking.length ? asking : parts).filter((p) => !permission(p.text)).map((p) => p.guess)]
      .find((g) => DECLINE.has(g.intent) && !(g === whole && asking.some((p) => permission(p.text))));
    if (decline) {
      const review = decline.similarity < (this.data.safety.refusal_review_below ?? 0) && !NEVER_KEPT.has(REFUSE_TYPE[decline.intent]);
      return done({ kind: "refuse", type: REFUSE_TYPE[decline.intent], reasons: [why(decline), ...(review ? ["refuse:review"] : []), ...languageReasons], review });
    }

    // A part about a topic of the knowledge, or with several content words, is a question even if it resembles
    // a greeting ("Wann fährt morgens der Schulbus?", "Geht das ohne Anmeldung?").
    // A short question that points back ("Worauf müssen wir da achten?") asks about the story before it: when
    // that story is about a topic of the knowledge, the question is not chat.
    const topical = parts.map((p) => !p.asks && p.guess.action !== "smalltalk" && terms(p.text).some((x) => this.knows(x)));
    const topicalStory = topical.includes(true);
    const toldStory = parts.some((p) => !p.asks && p.guess.action !== "smalltalk" && terms(p.text).length > this.data.safety.smalltalk_max_content_words);
    // How surely a part is chat: the social intents together, not the top one alone – "Danke, Ihnen auch einen
    // schönen Tag!" is half thanks, half chit-chat, and wholly chat (user test: it became a Vorgang).
    const social = (g: IntentGuess) => Object.entries(g.probabilities).reduce((a, [intent, p]) => a + (this.socialIntents.has(intent) ? p : 0), 0);
    const isSocial = (g: IntentGuess, text: string, asks: boolean, at: number) => {
      if (g.action !== "smalltalk") return false;
      // Pointing back at such a story told before it, a question is about the story however much it resembles a
      // question about the bot ("… sollen direkt einen Antrag stellen. Geht das?"); greetings stay greetings.
      if (asks && !GREETING_LIKE.has(g.intent) && topical.slice(0, Math.max(at, 0)).includes(true) && this.refersBack(text)) return false;
      // Chat about the bot names no topic of the knowledge unless it speaks to the bot: "Wie geet dat eijentlich met
      // soner Mitfahrbank?" is a question, however like "Wie geet et?" it sounds (it was answered as chit-chat).
      // A topic word here is one no example of chat uses ("Mitfahrbank"; not "Hilfe", "Wetter", "kloar").
      if (!GREETING_LIKE.has(g.intent) && !this.botAddress.some((re) => re.test(text)) && terms(text).some((x) => this.knowsExactly(x) && !this.socialStems.has(x))) return false;
      if (g.similarity >= SURELY_SOCIAL) return true;
      // (Only a question: "Danke für die Unterstützung!" after such a story is thanks, although "die" points back.)
      if (topicalStory && asks && this.continues(text)) return false;
      // After a story about a topic of the knowledge, or any story with more words of substance than chat has, a
      // question the intent model only weakly takes for chat asks about that story ("… wollen die Kommunalaufsicht
      // einschalten. Was mach ich jetzt?" is no thanks).
      if ((topicalStory || toldStory) && asks && g.similarity < CLEARLY_SOCIAL) return false;
      // After a story about a topic of the knowledge, a part that asks for a figure, date or name asks about that
      // story, however chatty its words ("… die Kreisstiftung hat in Schweich einen Jugendraum unterstützt. Weißt
      // du noch, mit wie viel?").
      if (topicalStory && this.answerTypes.analyse(text).types.length) return false;
      const t = terms(text);
      if (t.length > this.data.safety.smalltalk_max_content_words) return false;
      // Only greetings, thanks and goodbyes share words with the knowledge by chance ("Moien" = Morgen); a
      // question about the bot itself does not name a topic of the knowledge ("Sind die überhaupt versichert?").
      if (!GREETING_LIKE.has(g.intent) && !this.botAddress.some((re) => re.test(text)) && t.some((x) => this.knowsExactly(x))) return false;
      // A message that is one short part of chat counts the social intents together; in a longer message a part's
      // own intent decides, or a line of its story ("Bräucht ich für die Ratssitzung") would be dropped as chat.
      return (parts.length === 1 ? Math.max(g.similarity, social(g)) : g.similarity) >= CLEARLY_SOCIAL || !t.some((x) => this.knows(x));
    };
    // Rude words around a topic of the knowledge are a question, not abuse ("Die VG ist unfähig – wer berät mich?"),
    // also when the request stands inside the insult without a question mark ("Du blöder Bot, sag mir endlich, wie
    // hoch die Ehrenamtspauschale ist").
    const abusive = (p: (typeof parts)[number]) =>
      p.guess.intent === "abuse" && !((p.asks || this.splitter.requestsInside(p.text)) && terms(p.text).some((x) => this.knows(x)));
    // Asked of each part from several places below: judged once per part.
    const chatOf = new Map<(typeof parts)[number], boolean>();
    const chat = (p: (typeof parts)[number]) => {
      let v = chatOf.get(p);
      if (v === undefined) chatOf.set(p, (v = isSocial(p.guess, p.text, p.asks, parts.indexOf(p)) || abusive(p)));
      return v;
    };
    // Without a question, statements next to a greeting or thanks are chat ("Danke! Da lag ich wohl falsch."),
    // unless they tell a matter for staff (a hand-over intent).
    // When all it asks is a rant ("Seid ihr alle unfähig?"), an indirect question in its story is the real ask
    // ("… seit Wochen kann mir keiner sagen, an welche LAG wir uns wenden müssen"), also one about a matter the
    // knowledge does not know ("… streiten, wer das Laub kehren muss. Hilfst du mir mal?" goes to staff).
    const indirect = asking.length && asking.every(chat)
      ? parts.filter((p) => !p.asks && !chat(p)).flatMap((p) => {
        const q = this.splitter.indirectQuestion(p.text);
        return q && terms(q).length ? [{ ...p, text: q, asks: true }] : [];
      })
      : [];
    // A statement that tells a matter for staff stays when everything asked is chat ("Gun Owend. Mei
    // Aufwandsentschädigung is immer noch net uff em Konto. Kinnt dir mol nogucke?").
    const staffMatters = parts.filter((p) => !p.asks && !chat(p) && p.guess.action === "handover");
    const askedSubstance = asking.filter((p) => !chat(p));
    const substantive = indirect.length
      ? indirect
      : asking.length
      ? askedSubstance.length ? askedSubstance : staffMatters
      : parts.some(chat)
        ? staffMatters
        : parts;
    // A request found inside an insult is asked on its own (the split's ask is the whole sentence).
    const asks = [...split.asks.filter((a) => substantive.some((p) => !("request" in p) && (p.text.includes(a) || a.includes(p.text)))),
      ...substantive.filter((p) => "request" in p).map((p) => p.text)];
    const askTexts = asks.length ? asks : substantive.map((p) => p.text);

    // Hand-over intents count where the message asks or tells its matter, not in the chat around it.
    const person = [whole, ...substantive.map((p) => p.guess)].find((g) => g.intent === "person_request");
    if (person) return done({ kind: "handover", type: "person_requested", reasons: [why(person), ...languageReasons], asks: askTexts, context: split.context });
    // A general request form (language/safety.yaml, `yields_to_intents`) is an individual case only when the intent
    // model finds neither a decline nor a wish for a person: a forged receipt is declined even when the office is
    // asked to write it, "Können Sie mich zurückrufen?" asks for a person.
    if (rule?.intent === "individual_case") return handOverCase();
    const individual = [whole, ...substantive.map((p) => p.guess)].find((g) => g.intent === "individual_case");
    if (individual && substantive.length) return done({ kind: "handover", type: "individual_case", reasons: [why(individual), ...languageReasons], asks: askTexts, context: split.context });

    if (!substantive.length) {
      const insult = parts.find(abusive);
      if (insult) return done({ kind: "refuse", type: "abuse", reasons: [why(insult.guess), ...languageReasons] });
      const types = parts.map((p) => p.guess.intent as SmalltalkType);
      const type = SOCIAL_PRIORITY.find((t) => types.includes(t)) ?? "greeting";
      return done({ kind: "smalltalk", type, reasons: [`smalltalk:${type}`, ...parts.map((p) => why(p.guess)), ...languageReasons] });
    }
    // A short message with nothing to search for ("wie läuft's so?") gets the capabilities reply, not a ticket.
    const content = substantive.flatMap((p) => terms(p.text));
    if (!content.length && std.text.length < 80) return done({ kind: "smalltalk", type: "capabilities", reasons: ["smalltalk:no-content", ...languageReasons] });
    const dropped = parts.filter((p) => !substantive.includes(p)).map((p) => why(p.guess));
    const staff = (g: IntentGuess) => (g.probabilities.individual_case ?? 0) + (g.probabilities.person_request ?? 0);
    const staffLikelihood = Math.max(staff(whole), ...substantive.map((p) => staff(p.guess)));
    // The story a question is read with: greetings and thanks around it tell nothing about its topic
    // ("Guten Morgen! Wie hoch ist die Pauschale?" must not search for "Morgen").
    const context = parts.length > 1 ? parts.filter((p) => !p.asks && !chat(p)).map((p) => p.text).join(" ") : split.context;
    const firstAsk = parts.findIndex((p) => substantive.includes(p) && p.asks);
    const storyBefore = parts.length > 1 && firstAsk > 0 ? parts.slice(0, firstAsk).filter((p) => !p.asks && !chat(p)).map((p) => p.text).join(" ") : "";
    return done({ kind: "question", reasons: [...dropped, ...languageReasons], asks: askTexts, context, storyBefore, staffLikelihood, dialect: std.dialect });
  }
}

/**
 * Terms typical of one intent's examples: in at least three of them, and at least twice as often (per example) as in
 * the other intent's ("Mensch", "anrufen", "Rückruf" for person_request; not "Dorferneuerung", which the questions
 * name as often).
 */
function wordsTypicalOf(intents: { intent: string; examples: string[] }[], intent: string, other: string): Set<string> {
  const count = (name: string) => {
    const examples = intents.filter((d) => d.intent === name).flatMap((d) => d.examples);
    const c = new Map<string, number>();
    for (const e of examples) for (const t of new Set(terms(e))) c.set(t, (c.get(t) ?? 0) + 1);
    return { c, n: Math.max(1, examples.length) };
  };
  const own = count(intent);
  const rest = count(other);
  return new Set([...own.c].filter(([t, k]) => k >= 3 && k / own.n > (2 * (rest.c.get(t) ?? 0)) / rest.n).map(([t]) => t));
}
