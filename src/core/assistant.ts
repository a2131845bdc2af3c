import type { Logger } from "pino";
import type { Incoming, Reply, Source } from "./types.js";
import { passedDeadlines } from "../answer/deadlines.js";
import { MSG } from "./messages.js";
import type { RefuseType, Understander, Understanding } from "./understand.js";
import { AnswerPlanner, type AskPlan } from "./answer-planner.js";
import { fundingPendingKey, isFresh } from "./transient-state.js";
import { PART_HANDOVER_REASON } from "./question-turn.js";
import { sanitizeText } from "./sanitize.js";
import { withRequestId } from "../request-context.js";
import type { HybridRetriever, Hit } from "../retrieval/hybrid-retriever.js";
import { MAX_OPEN_TICKETS_PER_PERSON, type HandoverService } from "../handover/handover-service.js";
import type { HandoverReason, RateLimiter, Store, TurnRecord } from "../store/store.js";
import { llmAnswer, type ChatCompleter } from "../answer/llm-answerer.js";
import type { Prompts } from "../answer/prompts.js";
import { LlmError } from "../answer/llm-error.js";
import { answerStand, askedQuantity, listsAsLines, tableItemFor, toSource, withoutLayoutReferences } from "../answer/format.js";
import { collectMyData, describeMyData } from "./my-data.js";
import type { FundingFinder } from "../funding/finder.js";
import { applicantChoices, CHOICE_COMMAND, describeDeadlines, describeFunding, describeListedDeadlines, oldestStand, PROGRAMME_SOURCE, programmeSource } from "../funding/describe.js";
import { deadlineOf } from "../funding/finder.js";
import { APPLICANTS, type Applicant, type Programme } from "../funding/programmes.js";

/** Passages found for a message, and the probability that the best answer from them is right. */
interface Found {
  hits: Hit[];
  confidence: number;
  /** Passages worth showing while the mayor waits (close to an answer, not just on the topic). */
  related?: Hit[];
  /** Places outside the county the question asks about and its best passage does not speak of. */
  outside?: string[];
}

/** Reason of the reply to a button pressed by someone else in a group: channels keep the buttons for the asker. */
export const NOT_OWN_BUTTON = "button:not-own";
/** Reason of a reply to a message that was not answered because the person sent too many too fast. */
export const RATE_LIMITED = "rate_limited";
/** The reason of the reply that confirms a deletion of the person's data (channels clear what they show). */
export const PRIVACY_DELETED = "privacy:deleted";

/** Reason of a question read with the mayor's message before (followed by that turn's id). */
const FOLLOWUP_REASON = "followup:turn-";
/** A candidate this likely right is shown as a related passage under a hand-over. */
const RELATED_MIN_PROBABILITY = 0.3;
/** Hard limits that leave a passage on the question's topic (it lacks only the kind of answer asked for). */
const RELATED_DESPITE_GATES = ["typeMissing"];
/** … and how likely such a passage must be without its limit to be offered. */
const RELATED_BLOCKED_MIN_PROBABILITY = 0.5;
/**
 * The topics a passage speaks of. A FAQ entry names its own; a newsletter section carries its issue's whole list
 * (up to ten), and one handed-over question then stood in eight rows of "Wissenslücken".
 */
function passageTopics(h: Hit): string[] {
  return h.chunk.meta.kind === "faq" ? h.chunk.meta.topics : [];
}

/**
 * What the best passages would have answered, for staff to check and send (user test: a question about an issue
 * staff had just uploaded went to them without a draft, though its section was the passage found first). Never
 * shown to the mayor; a blocked passage (another programme, a missing kind of answer) gives none.
 */
function staffDraft(plans: AskPlan[]): string | undefined {
  // Only from a passage likely enough to be shown as related to the mayor: below it, 12 of 353 drafts of the reserve
  // questions' hand-overs held the answer, and staff read drafts about something else (user test).
  const bests = plans.map((p) => p.best).filter((b): b is NonNullable<AskPlan["best"]> => !!b && !b.blocked.length && b.probability >= RELATED_MIN_PROBABILITY);
  const texts: string[] = [];
  for (const b of bests) {
    const t = listsAsLines(b.shown.trim());
    if (t && !texts.some((x) => x.includes(t))) texts.push(t);
  }
  if (!texts.length) return undefined;
  const stand = answerStand(bests.map((b) => ({ hit: b.hit, shown: b.shown })));
  return [...texts, stand ? MSG.standLine(stand) : ""].filter(Boolean).join("\n\n");
}

/**
 * A passage is about the question when it has at least this share of the question's words (IDF-weighted): only
 * such passages give a Vorgang its topics and are listed for staff ("Passende Abschnitte"). For a question the
 * knowledge does not cover, the top search hits are about something else (Windkraft → the list of VGs).
 */
const TOPIC_MIN_COVERAGE = 0.5;

export interface AssistantOptions {
  followupWindowMinutes: number;
  maxSources?: number;
  /** Questions per user per minute; beyond that a friendly wait message (the question is still stored). */
  rateLimitPerMinute?: number;
  accessMode?: "open" | "invite";
  contactText?: string;
  /** Short "no legal advice" line under legal answers (from knowledge/README.md, "Kurzform:"). */
  disclaimer?: string;
  /** Public address of this server: newsletter sources then link to the issue's own page (/newsletter/<nr>). */
  publicUrl?: string;
}

export interface AssistantDeps {
  store: Store;
  retriever: HybridRetriever;
  understander: Understander;
  planner: AnswerPlanner;
  handover: HandoverService;
  log: Logger;
  options: AssistantOptions;
  llm?: { chat: ChatCompleter; prompts: Prompts; redact: boolean };
  /** The Förder-Finder over knowledge/programmes (absent: no programmes). */
  funding?: FundingFinder;
  /** Today, for deadlines (tests fix it). */
  now?: () => Date;
  /** Words that make a date in an answer a deadline (language/answerability.yaml, deadline_cues). */
  deadlineCues?: readonly string[];
}

/**
 * The channel-neutral heart of Ortslotse: one message in, one reply out, with a decision for every
 * message (answer, handover, smalltalk, refuse) and nothing a mayor asked ever dropped.
 */
const INVITE = /^\/?start\s+([A-Za-z0-9_-]{6,64})\s*$/i;
/** "/meine_daten", "meine Daten", "/loeschen", "löschen ja": the privacy commands, typed in any channel. */
const PRIVACY_COMMAND = /^\/?(?:meine[ _]daten|(l(?:ö|oe)schen)(\s+ja)?)[\s.!]*$/i;
/** "/fristen" or "fristen": the coming funding deadlines. */
const DEADLINES_COMMAND = /^\/?fristen[\s.!?]*$/i;
const CHOICE = new RegExp(`^${CHOICE_COMMAND}\\s+(${APPLICANTS.join("|")})\\s*$`, "i");
/** The reason a Förder-Finder list read what the money is for from the story before the question. */
const FROM_STORY_REASON = "funding_finder:from-story";
/** A money question naming a programme the entries could not answer surely: handed over with that programme's card. */
const NAMED_PROGRAMME_REASON = "funding_finder:named";
/** Passages found for planned questions: all hits, the best probability, and the likely ones to offer under a hand-over. */
function foundIn(plans: AskPlan[]): Found {
  // A passage that lacks only the kind of answer asked for is about the topic (user test: "Welche Unterlagen brauche
  // ich für die private Dorferneuerung?" went to staff without the entry on private Dorferneuerung).
  const likely = (c: AskPlan["candidates"][number]) => c.probability >= RELATED_MIN_PROBABILITY
    ? c.probability
    : c.blocked.length && c.blocked.every((b) => RELATED_DESPITE_GATES.includes(b)) && (c.unblockedProbability ?? 0) >= RELATED_BLOCKED_MIN_PROBABILITY ? c.unblockedProbability! : 0;
  const related = plans.flatMap((p) => p.candidates.filter((c) => likely(c) > 0).map((c) => ({ c, p: likely(c) }))).sort((a, b) => b.p - a.p).map(({ c }) => c.hit);
  const outside = plans.flatMap((p) => (p.best?.features.outsideAbsent ?? 1) > 0 ? p.ask.places.filter((x) => x.outside).map((x) => x.name) : []);
  return { hits: AnswerPlanner.hitsOf(plans), confidence: Math.max(0, ...plans.map((p) => p.best?.probability ?? 0)), related: [...new Set(related)], outside: [...new Set(outside)] };
}

/** A follow-up that also reads as a goodbye went to staff. */
const UNCLEAR_GOODBYE = "unclear:goodbye-or-followup";
/** A Förder-Finder search waiting for who applies: only its purposes and the applicants offered, never the mayor's words. */
interface PendingFunding { purposes: string[]; at: number; ask?: Applicant[]; about?: string[] }
/**
 * A candidate entry this likely to answer counts as what a money question is about (the Förder-Finder lists the
 * programmes built on it first); below it the entry shares words, not the subject.
 */
const ABOUT_MIN_PROBABILITY = 0.5;
/** A reason naming a programme the Förder-Finder listed ("programme:leader-buergerprojekte"): what a follow-up refers to. */
const PROGRAMME_REASON = "programme:";
const CHANNEL_WHO: Record<Incoming["channel"], string> = {
  telegram: "in Telegram", teams: "in Microsoft Teams", web: "im Web-Chat dieses Browsers", cli: "in der Kommandozeile",
};

export class Assistant {
  private limiter?: RateLimiter;

  constructor(private deps: AssistantDeps) {
    const per = deps.options.rateLimitPerMinute;
    if (per) this.limiter = deps.store.rateLimiter("questions", per, 60);
  }

  /** In invite mode: may this person ask? Redeems "/start CODE" on the way. */
  private async admitted(inc: Incoming, text: string): Promise<Reply | true> {
    if (this.deps.options.accessMode !== "invite") return true;
    const code = INVITE.exec(text)?.[1];
    if (code) {
      const ok = await this.deps.store.redeemInvite(code, inc.channel, inc.userId);
      return this.simple("smalltalk", ok ? `Willkommen! Ihr Zugang ist freigeschaltet.\n\n${MSG.greeting}` : MSG.inviteInvalid(this.contact()), [ok ? "access:invite-redeemed" : "access:invite-invalid"]);
    }
    if (await this.deps.store.isMember(inc.channel, inc.userId)) return true;
    return this.simple("refuse", MSG.notInvited(this.contact()), ["access:not-invited"]);
  }

  /** The access policy for entry points that are not a question (Telegram /start, /mensch): a refusal, or undefined. */
  async accessRefusal(inc: Incoming): Promise<Reply | undefined> {
    const admission = await this.admitted(inc, "");
    return admission === true ? undefined : admission;
  }

  private contact(): string {
    return this.deps.options.contactText ?? "Kreisverwaltung Trier-Saarburg";
  }

  get retriever(): HybridRetriever {
    return this.deps.retriever;
  }

  /** New knowledge (staff published or retired something): later questions use it, running ones finish. */
  useKnowledge(k: Pick<AssistantDeps, "retriever" | "understander" | "planner" | "funding">): void {
    this.deps = { ...this.deps, ...k };
  }

  /**
   * A mayor's message, the use case every channel calls. Whatever fails inside, the mayor gets a German
   * reply and the question is kept as a Vorgang; every log line on the way carries the request id.
   */
  ask(inc: Incoming): Promise<Reply> {
    return withRequestId(inc.requestId, async () => {
      try {
        return await this.handle(inc);
      } catch (err) {
        this.deps.log.error({ err, channel: inc.channel }, "core failed on a question");
        return this.keepAfterFailure(inc);
      }
    });
  }

  /** The core itself failed (store, index): a ticket still brings the question to a person. */
  private async keepAfterFailure(inc: Incoming): Promise<Reply> {
    const reply = (text: string, ticket?: Reply["ticket"]): Reply =>
      ({ action: "handover", text, sources: [], confidence: 0, reasons: ["core:error"], offerFeedback: false, ...(ticket ? { ticket } : {}) });
    const question = sanitizeText(inc.text).stored;
    if (!question) return reply(MSG.notStored(this.contact()));
    try {
      const { ticket, isNew } = await this.deps.handover.open({
        channel: inc.channel, conversationId: inc.conversationId, userId: inc.userId, userName: inc.userName,
        question, reason: "llm_failure", topics: [], context: [], passages: [],
      });
      return reply(isNew ? `${MSG.error}\n\n${MSG.handover.ticketLine(ticket.id)}` : MSG.handover.appended(ticket.id), { id: ticket.id, isNew });
    } catch (err) {
      this.deps.log.error({ err }, "question could not be kept after a core failure");
      return reply(MSG.notStored(this.contact()));
    }
  }

  /**
   * The channel could not deliver this reply: an answer (or a hand-over without a Vorgang) becomes a
   * "delivery_failed" Vorgang, so staff answer it when the chat works again. Never throws.
   */
  keepUndelivered(inc: Incoming, reply?: Reply): Promise<void> {
    return withRequestId(inc.requestId, async () => {
      if (reply && (reply.ticket || (reply.action !== "answer" && reply.action !== "handover"))) return;
      try {
        const { ticket } = await this.deps.handover.open({
          channel: inc.channel, conversationId: inc.conversationId, userId: inc.userId, userName: inc.userName,
          question: sanitizeText(inc.text).stored || "(leere Nachricht)",
          reason: "delivery_failed", topics: [], context: [], turnId: reply?.turnId, draftAnswer: reply?.action === "answer" ? reply.text : undefined,
          passages: (reply?.sources ?? []).map((s) => ({ id: s.id, title: s.title, excerpt: s.excerpt })),
        });
        this.deps.log.warn({ ticket: ticket.id, turnId: reply?.turnId }, "undelivered reply kept as a Vorgang");
      } catch (err) {
        this.deps.log.error({ err, turnId: reply?.turnId }, "undelivered reply could not be kept");
      }
    });
  }

  async handle(inc: Incoming): Promise<Reply> {
    const { store, log } = this.deps;
    const clean = sanitizeText(inc.text);
    // "Meine Daten" and "löschen" store nothing: right after a deletion, "Meine Daten" listed the chat's address again.
    const command = clean.text && !clean.unreadable ? PRIVACY_COMMAND.exec(clean.text.trim()) : null;
    if (!command) await store.saveConversation({ channel: inc.channel, conversationId: inc.conversationId, isGroup: inc.isGroup, reference: inc.reference });
    if (!clean.text || clean.unreadable) {
      return this.simple("smalltalk", MSG.empty, [clean.unreadable ? "input:unreadable" : "input:empty"]);
    }
    const admission = await this.admitted(inc, clean.text);
    if (admission !== true) return admission;
    if (command) return command[1] ? this.deleteMyData(inc, Boolean(command[2])) : this.myData(inc);
    if (this.limiter && !(await this.limiter.allow(`${inc.channel}:${inc.userId}`))) {
      // Kept, so staff can see it if the person complains; answered only with the wait note.
      return this.record(inc, clean.stored, this.simple("smalltalk", MSG.rateLimited(clean.text), [RATE_LIMITED]), []);
    }
    if (this.deps.funding) {
      const funding = await this.fundingCommand(inc, clean.text, clean.stored);
      if (funding) return funding;
    }
    const understood = this.deps.understander.understand(clean.text);
    let u: Understanding = understood;
    log.debug({ kind: u.kind, reasons: u.reasons }, "understood");
    // "Und bis wann?" has no words of its own: alone it gets the capabilities reply, right after a question it asks
    // on about that question.
    if (u.kind === "smalltalk" && u.reasons.includes("smalltalk:no-content") && this.deps.understander.asksOn(understood.standard) && (await this.history(inc)).length) {
      u = { kind: "question", reasons: ["followup:no-content"], asks: [understood.standard], context: "", storyBefore: "", staffLikelihood: 0, dialect: false };
    }

    // "zu Nr. 5 …", as the hand-over note asks: it belongs to that Vorgang, even when the bot could answer it. Not a
    // message the intent model declines: abuse and attempts to change the rules are never stored.
    const named = u.kind === "refuse" ? undefined : await this.deps.handover.namedOpenTicket(clean.text, inc).catch(() => undefined);
    if (named) {
      return this.handOver(inc, clean.stored, named.reason, { hits: [], confidence: 0 }, [`handover:named-${named.id}`], undefined, await this.history(inc));
    }
    // "und auf dem weg dahin?" right after a question reads as a goodbye ("bis dahin") and as a follow-up: which one is
    // not clear, so staff see it. Read as a question it was answered from the wrong entry; read as a goodbye it was lost.
    if (u.kind === "smalltalk" && u.type === "goodbye" && /\?\s*$/u.test(clean.text) && this.deps.understander.asksOn(understood.standard)) {
      const history = await this.history(inc);
      if (history.length) {
        // What it would find read as a follow-up: for staff, and offered to the mayor while they wait.
        const plans = await this.deps.planner.planMessage([understood.standard], "", this.deps.understander.antecedentOf(history.map((t) => t.question)), (a, turn) => this.deps.understander.continues(a, turn));
        return this.handOver(inc, clean.stored, "low_confidence", foundIn(plans), [...u.reasons, UNCLEAR_GOODBYE], undefined, history);
      }
    }
    if (u.kind === "smalltalk") {
      return this.record(inc, clean.stored, this.simple("smalltalk", MSG[u.type], u.reasons), []);
    }
    if (u.kind === "refuse") {
      if (u.review) return this.refuseForReview(inc, clean.stored, u.type, u.reasons);
      // Refused texts are not stored verbatim: they may carry abuse or injection payloads.
      return this.record(inc, "[abgelehnte Nachricht]", this.simple("refuse", MSG.refuse[u.type], u.reasons), []);
    }

    const history = await this.history(inc);
    const previous = history[history.length - 1];
    const staffLikelihood = u.kind === "question" ? u.staffLikelihood : 1;
    const dialect = u.kind === "question" && u.dialect;
    const continues = (a: string, turn: boolean) => this.deps.understander.continues(a, turn);
    const threshold = this.deps.planner.threshold;
    const firstPlans = await this.deps.planner.planMessage(u.asks, u.context, this.deps.understander.antecedentOf(history.map((t) => t.question)), continues, staffLikelihood, dialect, u.kind === "question" ? u.storyBefore : "");
    // Two questions in one sentence answered from a passage that lacks a noun of one of them: that one would be
    // dropped. It is planned on its own as well: answered when another entry answers it, else handed over to be
    // safe (the text shown may still cover it, so the mayor is told so).
    const plans: AskPlan[] = [];
    const leftOut = new Set<AskPlan>();
    for (const p of firstPlans) {
      const left = u.kind === "question" && p.best && p.best.probability >= threshold ? this.deps.planner.partsLeftOut(p) : undefined;
      // A follow-up to the previous message whose own nouns the passage lacks ("Und die Lotto-Stiftung?" after the
      // Kreisstiftung's share) is a question of its own: read with the previous one it got the previous answer again.
      const replaced = Boolean(left && p.followup);
      if (!replaced) plans.push(p);
      if (!left) continue;
      // Read with the whole question around it, as a question is read with its story ("wo sitzt deren Geschäftsstelle").
      // A question first read with the one before it is now read alone; a fragment ("Und die Lotto-Stiftung?") still wants
      // the kind of answer the question before asked for.
      const single = p.afterQuestion || replaced;
      const alone = single ? await this.deps.planner.planMessage(left, "", undefined, () => false, staffLikelihood, dialect, "", this.deps.planner.isFragment(p.text) ? p.ask.types : undefined) : undefined;
      for (const q of alone ?? await this.deps.planner.planMessage(left, p.text, undefined, continues, staffLikelihood, dialect, "")) {
        // Answered from the passage already shown: nothing to add.
        if (q.best && q.best.probability >= threshold && q.best.hit.chunk.meta.chunkId === p.best!.hit.chunk.meta.chunkId) {
          if (replaced) plans.push(p);
          continue;
        }
        plans.push(q);
        // A follow-up split off because the passage shown lacks its nouns is surely not answered there ("Und was kostet
        // ein Festzelt?"); a part of the same sentence may still be (the mayor is told "weiß ich nicht sicher").
        if (!single) leftOut.add(q);
      }
    }
    const reasons = [...u.reasons];
    if (clean.truncated) reasons.push("input:truncated");
    // "Und bis wann?" right after the Förder-Finder's list asks for the deadlines of the programmes listed, not for
    // a passage about the words of the message before.
    const listed = previous?.reasons.filter((r) => r.startsWith(PROGRAMME_REASON)).map((r) => r.slice(PROGRAMME_REASON.length)) ?? [];
    const asksWhen = this.deps.understander.bareAsk(clean.text).some((t) => t === "deadline" || t === "date");
    if (this.deps.funding && listed.length && u.kind === "question" && asksWhen) {
      return this.fundingDeadlines(inc, clean.stored, listed, reasons);
    }
    plans.forEach((p, i) => {
      if (p.followup) reasons.push(`${FOLLOWUP_REASON}${previous!.id}`);
      if (p.best) reasons.push(`ask${i + 1}:p=${p.best.probability.toFixed(2)}:${p.best.hit.chunk.meta.chunkId}`);
      // Which hard limit ruled the best passage out (language/answerability.yaml, gates): staff see why.
      if (p.best?.blocked.length) reasons.push(`ask${i + 1}:blocked:${p.best.blocked.join("+")}`);
      if (p.ask.unknown.length) reasons.push(`ask${i + 1}:unknown-terms:${p.ask.unknown.length}`);
    });
    const result = foundIn(plans);
    const hits = result.hits;

    if (u.kind === "handover") {
      // "Mensch" after an answer: the person is wanted for that question, as with the button under an answer (after a
      // hand-over the question is with staff already).
      if (u.type === "person_requested" && previous?.action === "answer" && this.deps.understander.asksOnlyForPerson(clean.text)) {
        const reply = await this.handOverTurn(inc, previous, "person_requested");
        // The request itself goes with the Vorgang when it says more than the request ("Am liebsten telefonisch, Mensch"):
        // a bare "Mensch" stood on /staff as "+1 weitere Nachricht der Person – bitte lesen" (user test).
        if (reply.ticket && clean.text.trim().split(/\s+/).length > 3) await this.keepWithTicket(reply.ticket.id, inc, clean.stored);
        return reply;
      }
      return this.handOver(inc, clean.stored, u.type, result, reasons, undefined, history);
    }
    const good = plans.filter((p) => p.best && p.best.probability >= threshold);
    if (u.kind === "question" && this.deps.funding) {
      // It asks for money for a purpose: the programmes that fund it — when no entry answers it, or when the
      // entry that would answer is none the programmes are built from ("Gibt es Geld für einen Dorftreff?"
      // is not answered by how Sirzenich came to its Dorftreff). Only the question itself counts ("wir geben
      // 300 Euro Zuschuss" in the story is not a search for money).
      // A question for one fact ("wie viele Personen …", "woher kam das Geld …") is not answered by a list.
      // Nor is a question whether something is allowed ("Darf ich mit abstimmen, wenn es um den Zuschuss für den
      // Sportverein geht?"): it asks for a rule, and money is only what the rule is about.
      const listAnswers = plans.every((p) => this.deps.funding!.purposes.listAnswers(p.ask.types) && !this.deps.understander.asksPermission(p.ask.text));
      // A question pointing at the project told before it ("Wer fördert sowas?") is searched with that story
      // when it is the message's only question; an entry that answers it still comes first.
      // The entries the question is about order the list: the programmes built on them first. Only FAQ entries: a
      // newsletter issue is one source of a programme but about many things (its Mitfahrbank section made the Bürgerbus
      // grant, built on the same issue, come first for "Gibt es Geld für eine Mitfahrbank?").
      const about = [...new Set(plans.flatMap((p) => p.candidates).filter((c) => c.probability >= ABOUT_MIN_PROBABILITY && c.hit.chunk.meta.kind === "faq").sort((a, b) => b.probability - a.probability).map((c) => c.hit.chunk.meta.docId))];
      const search = listAnswers ? this.deps.funding.search(u.asks.join(" "), this.today(), undefined, u.asks.length === 1 ? u.context : "", about) : undefined;
      const sources = new Set(search?.broader ? [] : (search?.matches ?? []).flatMap((m) => m.programme.sources));
      const entryAnswers = good.some((p) => sources.has(p.best!.hit.chunk.meta.docId));
      if (search?.matches.length && (!good.length || (!search.fromStory && sources.size && !entryAnswers))) {
        // Money for something the knowledge has never heard of ("Sportstättenförderung", "Automaten"): the list
        // matched the other words only. Staff look at it; the list helps meanwhile.
        // Purposes read from the story may be mere setting ("… im Dorfgemeinschaftshaus"): staff check that the list
        // fits, the mayor has it meanwhile. Measured in December 2026: answered, such lists were right 14 times and
        // wrong 7 times on the labelled and reserve messages - too often wrong for an answer at three to one.
        const unknown = plans.some((p) => p.ask.unknown.length);
        const why = [...reasons, ...(search.fromStory ? [`${FROM_STORY_REASON}(${search.purposes.join("+")})`] : []), ...(unknown ? ["funding_finder:unknown-terms"] : [])];
        return this.fundingReply(inc, clean.stored, search, why, history, unknown || !!search.fromStory);
      }
    }
    if (!good.length) {
      reasons.push(`confidence:${result.confidence.toFixed(3)}<${Number(threshold.toFixed(3))}`);
      // Money asked for by a programme's name, and no entry answers surely: staff look at it, the programme's card
      // (amounts, deadline, contact) helps meanwhile (user test: "Wer fördert einen Bürgerbus bei uns im Dorf?").
      const named = u.kind === "question" && u.asks.length === 1 ? this.deps.funding?.named(u.asks[0], this.today()) : undefined;
      const card = named && describeFunding(named, this.deps.funding!.purposes, { handedOver: true }).text;
      const why = named ? [...reasons, NAMED_PROGRAMME_REASON, ...named.matches.map((m) => `${PROGRAMME_REASON}${m.programme.id}`)] : reasons;
      return this.handOver(inc, clean.stored, hits.length ? "low_confidence" : "not_covered", result, why, staffDraft(plans), history, undefined, card || undefined);
    }
    const open = plans.filter((p) => !good.includes(p));
    return this.answer(inc, clean, good, open, reasons, history, leftOut);
  }

  private today(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }

  private fundingKey(inc: Pick<Incoming, "channel" | "conversationId" | "userId">): string {
    return fundingPendingKey(inc.channel, inc.conversationId, inc.userId);
  }

  /**
   * "/fristen"; and the answer to the Förder-Finder's "Wer stellt den Antrag?" — a button ("/foerder verein")
   * or a short typed reply naming the applicant while a search waits for it. undefined: not one of these.
   */
  private async fundingCommand(inc: Incoming, text: string, stored: string): Promise<Reply | undefined> {
    const finder = this.deps.funding!;
    const t = text.trim();
    if (DEADLINES_COMMAND.test(t)) {
      const upcoming = finder.upcoming(this.today());
      const reply = this.deadlineReply(describeDeadlines(upcoming), upcoming.map((m) => m.programme), ["funding:deadlines"]);
      return this.record(inc, stored, reply, []);
    }
    const button = CHOICE.exec(t);
    const short = !button && t.split(/\s+/).length <= 4 ? finder.purposes.applicantOf(t) : undefined;
    if (!button && !short) return undefined;
    const raw = await this.deps.store.getState(this.fundingKey(inc)).catch(() => undefined);
    const pending = raw ? (JSON.parse(raw) as PendingFunding) : undefined;
    const fresh = pending && isFresh("fundingPending", pending);
    if (!fresh) return button ? this.record(inc, stored, this.simple("smalltalk", MSG.funding.noPending, ["funding:no-pending"]), []) : undefined;
    const applicant = (button ? button[1].toLowerCase() : short) as Applicant;
    await this.deps.store.deleteState(this.fundingKey(inc)).catch(() => undefined);
    return this.fundingReply(inc, stored, finder.match(pending.purposes, applicant, this.today(), [], pending.about), [`funding:applicant:${applicant}`]);
  }

  /** The Förder-Finder's list as a reply; asks once who applies when that narrows the list. */
  private async fundingReply(inc: Incoming, stored: string, search: ReturnType<FundingFinder["match"]>, reasons: string[], history?: TurnRecord[], handOver = false): Promise<Reply> {
    if (search.broader || handOver) {
      // No programme names the purpose itself: a person should look at it. The wider list helps meanwhile.
      const wider = describeFunding(search, this.deps.funding!.purposes, { handedOver: true }).text;
      const listed = search.matches.map((m) => `${PROGRAMME_REASON}${m.programme.id}`);
      return this.handOver(inc, stored, "funding_check", { hits: [], confidence: 0 }, [...reasons, search.broader ? "funding_finder:broader" : "funding_finder:handover", ...listed], wider, history ?? (await this.history(inc)), undefined, wider);
    }
    const d = describeFunding(search, this.deps.funding!.purposes);
    // A new list replaces the one that waited for who applies: its buttons are no longer offered.
    if (!search.askApplicant.length) await this.deps.store.deleteState(this.fundingKey(inc)).catch(() => undefined);
    if (search.askApplicant.length) {
      // Only what the follow-up needs (the purposes), never the mayor's words.
      const pending: PendingFunding = { purposes: search.purposes, at: Date.now(), ask: search.askApplicant, ...(search.about ? { about: search.about } : {}) };
      await this.deps.store.setState(this.fundingKey(inc), JSON.stringify(pending)).catch((err) => this.deps.log.warn({ err }, "funding question not kept for the follow-up"));
    }
    const reply: Reply = {
      action: "answer",
      // The Stand line before the question for who applies: on a phone its buttons followed a long list, the Stand line
      // and the sources, and "… eingrenzen:" pointed at nothing (user test).
      text: [d.text, d.stand ? MSG.standLine(d.stand) : "", d.ask ?? ""].filter(Boolean).join("\n\n"),
      sources: d.sources,
      stand: d.stand,
      confidence: 1,
      reasons: [...reasons, "funding_finder", ...search.matches.map((m) => `${PROGRAMME_REASON}${m.programme.id}`)],
      offerFeedback: true,
      choices: d.choices,
    };
    return this.record(inc, stored, reply, []);
  }

  /** The deadlines of the programmes the last list named, in its order. */
  private async fundingDeadlines(inc: Incoming, stored: string, ids: string[], reasons: string[]): Promise<Reply> {
    const finder = this.deps.funding!;
    const programmes = ids.map((id) => finder.programmes.find((p) => p.id === id)).filter((p) => p !== undefined);
    const reply: Reply = {
      ...this.deadlineReply(describeListedDeadlines(programmes.map((p) => ({ programme: p, purposes: [], deadline: deadlineOf(p, this.today()) }))), programmes, [...reasons, "funding:deadlines-of-list"]),
      sources: programmes.map(programmeSource),
    };
    return this.record(inc, stored, reply, []);
  }

  /** A list of deadlines ends with its Stand like every other answer (its oldest programme text's). */
  private deadlineReply(text: string, programmes: Programme[], reasons: string[]): Reply {
    const stand = oldestStand(programmes);
    return { ...this.simple("answer", [text, stand ? MSG.standLine(stand) : ""].filter(Boolean).join("\n\n"), reasons), ...(stand ? { stand } : {}), offerFeedback: false };
  }

  /** "/meine_daten": what is stored about this person (only in a one-to-one chat, never in a group). */
  async myData(inc: Incoming): Promise<Reply> {
    if (inc.isGroup) return this.simple("smalltalk", MSG.privacy.privateOnly, ["privacy:group"]);
    const data = await collectMyData(this.deps.store, inc.channel, inc.userId);
    return this.simple("smalltalk", describeMyData(data, CHANNEL_WHO[inc.channel], "„/loeschen“"), ["privacy:export"]);
  }

  /** "/loeschen": asks once, then deletes everything stored about this person in this channel. */
  async deleteMyData(inc: Incoming, confirmed: boolean): Promise<Reply> {
    if (inc.isGroup) return this.simple("smalltalk", MSG.privacy.privateOnly, ["privacy:group"]);
    if (!confirmed) return this.simple("smalltalk", MSG.privacy.deleteConfirm, ["privacy:confirm"]);
    const n = await this.deps.handover.eraseUser(inc.channel, inc.userId);
    this.deps.log.info({ deleted: n, channel: inc.channel }, "user data deleted on request");
    return this.simple("smalltalk", MSG.privacy.deleted(n), [PRIVACY_DELETED]);
  }

  /** Thumbs up/down; a thumbs-down hands the question over so a person looks at it. */
  async feedback(inc: Incoming, turnId: number, value: 1 | -1): Promise<Reply | undefined> {
    const turn = await this.deps.store.getTurn(turnId);
    if (!turn || turn.channel !== inc.channel || turn.conversationId !== inc.conversationId) return undefined;
    if (!this.ownTurn(inc, turn)) return this.simple("smalltalk", MSG.notYourButton, [NOT_OWN_BUTTON]);
    const first = await this.deps.store.setFeedback(turnId, value);
    if (value === 1 || !first) {
      return this.simple("smalltalk", value === 1 ? "Danke für Ihre Rückmeldung!" : "Ihre Rückmeldung habe ich bereits erhalten.", [`feedback:${value}`]);
    }
    return this.handOverTurn(inc, turn, "thumbs_down");
  }

  /** "An das Team weitergeben" under an answer, or /mensch. */
  async requestHuman(inc: Incoming, turnId?: number): Promise<Reply> {
    // Channel commands bypass handle(); in invite mode they must not open tickets for strangers.
    const admission = await this.admitted(inc, "");
    if (admission !== true) return admission;
    // "/mensch Bitte rufen Sie mich an wegen der Friedhofssatzung": the words are the matter, not the question
    // before (the Vorgang showed the earlier question and staff never saw the request; Telegram user test).
    const words = turnId === undefined ? sanitizeText(inc.text).stored : "";
    if (words) return this.handOver(inc, words, "person_requested", { hits: [], confidence: 0 }, ["person:command"], undefined, await this.history(inc));
    // Without words: the person's own last question – not a command ("/fristen") and not a declined message.
    const turn = turnId ? await this.deps.store.getTurn(turnId) : (await this.ownTurns(inc, 6)).reverse().find((t) => t.action !== "refuse" && !t.question.startsWith("/"));
    const here = turn && turn.channel === inc.channel && turn.conversationId === inc.conversationId;
    // In a group only the asker hands their answer over: a colleague's press opened a Vorgang with another's question under their name.
    if (turn && here && turnId !== undefined && !this.ownTurn(inc, turn)) return this.simple("smalltalk", MSG.notYourButton, [NOT_OWN_BUTTON]);
    if (turn && here && this.ownTurn(inc, turn) && turn.action !== "refuse") {
      return this.handOverTurn(inc, turn, "person_requested");
    }
    const text = sanitizeText(inc.text).stored || MSG.handover.requestWithoutWords;
    return this.handOver(inc, text, "person_requested", { hits: [], confidence: 0 }, ["person:command"], undefined, []);
  }

  /** Whether a turn is this person's own: in a group several people ask, in a private chat there is one. */
  private ownTurn(inc: Incoming, turn: TurnRecord): boolean {
    return !inc.isGroup || turn.userId === inc.userId;
  }

  /** Adds the mayor's message to a Vorgang (logged, not fatal: the hand-over itself stands). */
  private async keepWithTicket(ticketId: number, inc: Incoming, text: string): Promise<void> {
    try {
      await this.deps.store.addTicketMessage(ticketId, { from: "mayor", author: inc.userName, text });
    } catch (err) {
      this.deps.log.error({ err, ticket: ticketId }, "could not add the message to the Vorgang");
    }
  }

  private async handOverTurn(inc: Incoming, turn: TurnRecord, reason: HandoverReason): Promise<Reply> {
    const history = await this.history(inc);
    const question = this.askedIn(turn, history);
    const plan = await this.deps.planner.plan(question);
    const found = { hits: AnswerPlanner.hitsOf([plan]), confidence: plan.best?.probability ?? 0 };
    return this.handOver(inc, question, reason, found, [`${reason}:turn-${turn.id}`], turn.action === "answer" ? turn.answer : undefined, history, turn.id);
  }

  /** A turn as staff read it in the conversation before a Vorgang. */
  private askedAs(turn: TurnRecord): string {
    // A button of the Förder-Finder is stored as its command ("/foerder verein"); staff read what was chosen.
    const applicant = turn.reasons.find((r) => r.startsWith("funding:applicant:"))?.slice("funding:applicant:".length);
    return applicant && this.deps.funding ? MSG.funding.applicantChosen(this.deps.funding.purposes.applicantLabel(applicant as Applicant)) : turn.question;
  }

  /**
   * What a turn asked, for staff. The Förder-Finder's narrowed list answers "/foerder gemeinde" or "als Gemeinde":
   * handed over, that is the money question before it with who applies ("Gibt es Geld für einen Dorftreff?
   * (Antrag: Ortsgemeinde)"), not the button's text.
   */
  private askedIn(turn: TurnRecord, history: TurnRecord[]): string {
    const applicant = turn.reasons.find((r) => r.startsWith("funding:applicant:"))?.slice("funding:applicant:".length);
    if (!applicant || !this.deps.funding) return turn.question;
    const asked = [...history].reverse().find((t) => t.id < turn.id && t.reasons.includes("funding_finder") && !t.reasons.some((r) => r.startsWith("funding:applicant:")));
    return asked ? `${asked.question} (${MSG.funding.applicantNote(this.deps.funding.purposes.applicantLabel(applicant as Applicant))})` : turn.question;
  }

  /**
   * Declined by the intent model without being sure: still declined, but kept as a Vorgang, so that a real question in
   * unusual words reaches a person. If the question cannot be kept, the decline stands alone.
   */
  private async refuseForReview(inc: Incoming, question: string, type: RefuseType, reasons: string[]): Promise<Reply> {
    let text = MSG.refuse[type];
    let ticket: Reply["ticket"];
    // Kept for staff, the message is not declined in words: only if it cannot be kept does the decline stand.
    try {
      const opened = await this.deps.handover.open({
        channel: inc.channel, conversationId: inc.conversationId, userId: inc.userId, userName: inc.userName,
        question, reason: "refusal_review", topics: [], context: [], passages: [],
      });
      ticket = { id: opened.ticket.id, isNew: opened.isNew };
      text = opened.isNew ? MSG.refusalReview(opened.ticket.id) : MSG.handover.appended(opened.ticket.id);
    } catch (err) {
      this.deps.log.error({ err }, "declined message could not be kept for review");
    }
    // Unsure whether it asks for a way around the rules ("Ein Helfer hat sich verletzt, wie melde ich das?"): the
    // entries on its topic, as under any hand-over, so a real question gets its first steps while staff check it.
    // Only entries, never an answer text; a decline of another kind (data of others, politics) shows none.
    let sources: Source[] = [];
    if (type === "illegal" && ticket) {
      const plan = await this.deps.planner.plan(question).catch(() => undefined);
      const related = (plan?.candidates ?? []).filter((c) => c.probability >= RELATED_MIN_PROBABILITY && !c.blocked.length).map((c) => c.hit);
      sources = related.length ? this.sources(related, inc.channel).slice(0, 3) : [];
    }
    return this.record(inc, question, { ...this.simple("refuse", text, reasons), sources, ...(ticket ? { ticket } : {}) }, []);
  }

  /**
   * The person's own recent turns in this chat. In a group several mayors ask in turn: "und bis wann?" follows the
   * asker's own question, and another member's question must not go into the asker's Vorgang as "Gespräch davor".
   */
  private async ownTurns(inc: Incoming, limit: number): Promise<TurnRecord[]> {
    const turns = await this.deps.store.recentTurns(inc.channel, inc.conversationId, inc.isGroup ? limit * 5 : limit);
    return (inc.isGroup ? turns.filter((t) => t.userId === inc.userId) : turns).slice(-limit);
  }

  private async history(inc: Incoming): Promise<TurnRecord[]> {
    const turns = await this.ownTurns(inc, 6);
    const since = Date.now() - this.deps.options.followupWindowMinutes * 60_000;
    return turns.filter((t) => Date.parse(t.createdAt) >= since && (t.action === "answer" || t.action === "handover"));
  }

  private async answer(inc: Incoming, clean: { text: string; stored: string; truncated: boolean }, good: AskPlan[], open: AskPlan[], reasons: string[], history: TurnRecord[], leftOut: Set<AskPlan> = new Set()): Promise<Reply> {
    const bests = good.map((p) => p.best!);
    const hits = AnswerPlanner.hitsOf(good);
    const confidence = Math.min(...bests.map((b) => b.probability));
    let body: string;
    // Two questions of a message may rest on the same passage (each search returns its own Hit): count it once.
    let used: Hit[] = bests.map((b) => b.hit).filter((h, i, all) => all.findIndex((x) => x.chunk.meta.chunkId === h.chunk.meta.chunkId) === i);
    const llm = this.deps.llm;
    // Offline: each question's answer from its best passage; a text already shown is not shown again.
    const extract = () => {
      const shown: string[] = [];
      for (const p of good) {
        const text = listsAsLines(withoutLayoutReferences(p.best!.shown.trim(), this.deps.planner.layoutReferences));
        if (!text || shown.some((s) => s.includes(text))) continue;
        // A table answers "bei 450 Einwohnern" with one of its lines: that line first, then the whole table
        // (user test: the mayor had to find the row himself).
        // The figure may stand in the story before the question ("Wir haben ca. 620 Einwohner. Wie hoch ist …?").
        const asked = askedQuantity(p.text) ?? (good.length === 1 ? askedQuantity(clean.text) : undefined);
        const row = asked && tableItemFor(text, asked, this.deps.planner.tableUnits);
        shown.push(row ? `${MSG.tableRow(asked.phrase, row)}\n\n${text}` : text);
      }
      return shown.join("\n\n");
    };
    if (llm) {
      try {
        const res = await llmAnswer({
          chat: llm.chat, prompts: llm.prompts, question: clean.text, redact: llm.redact, hits: [...used, ...hits.filter((h) => !used.includes(h))].slice(0, 5),
          history: history.slice(-3).flatMap((t) => [{ role: "mayor" as const, text: t.question }, { role: "bot" as const, text: t.answer }]),
        });
        if (res.notCovered) {
          reasons.push("llm:not_covered");
          return this.handOver(inc, clean.stored, "not_covered", { hits, confidence }, reasons, extract(), history);
        }
        body = res.text;
        used = res.cited;
        reasons.push("answer:llm");
      } catch (err) {
        const kind = err instanceof LlmError ? err.kind : "other";
        this.deps.log.warn({ err, kind }, "LLM failed, falling back to extractive answer");
        reasons.push(`llm_fallback:${kind}`);
        body = extract();
      }
    } else {
      body = extract();
      reasons.push("answer:extractive");
    }
    if (!body.trim()) return this.handOver(inc, clean.stored, "low_confidence", { hits, confidence }, [...reasons, "answer:empty"], undefined, history);

    // A question of the message that could not be answered goes to staff on its own; the mayor sees which.
    const openLines: string[] = [];
    let ticket: Reply["ticket"];
    for (const p of open) {
      const t = await this.openTicket(inc, p.text, "low_confidence", { hits: AnswerPlanner.hitsOf([p]), confidence: p.best?.probability ?? 0 }, undefined, history, undefined, clean.stored);
      if (t) {
        ticket = t;
        const maybe = leftOut.has(p) || this.deps.planner.shownMentions(p.text, body);
        openLines.push(maybe ? MSG.partMaybeOpen(p.text, t.id) : MSG.partlyHandedOver(p.text, t.id));
        reasons.push(`${PART_HANDOVER_REASON}${t.id}`);
      }
    }
    const legal = used.some((h) => h.chunk.meta.legal);
    const disclaimer = this.deps.options.disclaimer ?? MSG.disclaimer;
    // The Stand of what is shown: each passage's own date (a figure's "(Stand 2024)" first), the oldest.
    const shownFor = (h: Hit) => bests.find((b) => b.hit === h)?.shown ?? h.chunk.text;
    const stand = answerStand((used.length ? used : hits.slice(0, 1)).map((h) => ({ hit: h, shown: reasons.includes("answer:llm") ? h.chunk.text : shownFor(h) })));
    // A deadline the passage gives as current may have passed since ("Bewerbungsschluss ist der 30. September 2026").
    const passed = passedDeadlines(body, this.today(), this.deps.deadlineCues ?? []);
    const parts = [clean.truncated ? MSG.tooLong : "", body.trim(), passed.length ? MSG.deadlinePassed(passed) : "", ...openLines, stand ? MSG.standLine(stand) : "", legal ? disclaimer : ""].filter(Boolean);
    const alsoRight = good.flatMap((p) => p.candidates.filter((c) => c.probability >= this.deps.planner.threshold).map((c) => c.hit));
    const reply: Reply = {
      action: "answer",
      text: parts.join("\n\n"),
      sources: this.sources([...used, ...alsoRight.filter((h) => !used.includes(h))], inc.channel),
      stand,
      disclaimer: legal ? disclaimer : undefined,
      confidence,
      reasons,
      ticket,
      offerFeedback: true,
    };
    return this.record(inc, clean.stored, reply, hits);
  }

  /** A question as the person sees it again: a pressed button's command ("/foerder gemeinde") as its label. */
  shownQuestion(question: string): string {
    const choice = CHOICE.exec(question.trim());
    return choice && this.deps.funding ? this.deps.funding.purposes.applicantLabel(choice[1].toLowerCase() as Applicant) : question;
  }

  /**
   * The buttons of a Förder-Finder list still waiting for "Wer stellt den Antrag?" (the web chat after a reload shows
   * them again under that list); empty when nothing waits.
   */
  async pendingChoices(where: Pick<Incoming, "channel" | "conversationId" | "userId">): Promise<{ label: string; text: string }[]> {
    const finder = this.deps.funding;
    const raw = finder ? await this.deps.store.getState(this.fundingKey(where)).catch(() => undefined) : undefined;
    if (!finder || !raw) return [];
    // A reload must never fail on a stored state it cannot read: then there are simply no buttons.
    let pending: PendingFunding;
    try {
      pending = JSON.parse(raw) as PendingFunding;
    } catch {
      return [];
    }
    return isFresh("fundingPending", pending) && Array.isArray(pending.ask) && pending.ask.length ? applicantChoices(pending.ask.filter((a) => APPLICANTS.includes(a)), finder.purposes) : [];
  }

  /**
   * The sources of an answer given earlier, from the passage ids its turn kept (the web chat after a reload); a passage
   * retired since is left out.
   */
  storedSources(sourceIds: string[], channel: Incoming["channel"]): Source[] {
    const hits = sourceIds.flatMap((id) => {
      const chunk = this.deps.retriever.chunk(id);
      return chunk ? [{ chunk, score: 1, vectorSim: 0, lexicalScore: 0, coverage: 0 }] : [];
    });
    // The Förder-Finder's list names programmes, not passages ("programm:<id>"): read back from the programmes.
    const programmes = sourceIds.flatMap((id) => {
      const p = id.startsWith(PROGRAMME_SOURCE) ? this.deps.funding?.programmes.find((x) => x.id === id.slice(PROGRAMME_SOURCE.length)) : undefined;
      return p ? [programmeSource(p)] : [];
    });
    return [...(hits.length ? this.sources(hits, channel) : []), ...programmes];
  }

  /** Sources worth showing: the used passages and others close to them, never filler. */
  private sources(hits: Hit[], channel: Incoming["channel"]): Source[] {
    const top = Math.max(...hits.map((h) => h.score), 0);
    // A newsletter source leads to the issue itself (Ortslotse serves it), not to a third-party article:
    // absolute with PUBLIC_URL, relative in the web chat (same server), else the section's own link.
    const base = this.deps.options.publicUrl?.replace(/\/+$/, "") ?? (channel === "web" ? "" : undefined);
    return hits
      // Each search returns its own Hit for a passage: two questions may bring the same one.
      .filter((h, i) => hits.findIndex((x) => x.chunk.meta.chunkId === h.chunk.meta.chunkId) === i)
      .filter((h, i) => i === 0 || h.score >= top * 0.45)
      .slice(0, this.deps.options.maxSources ?? 5)
      .map((h) => {
        const src = toSource(h);
        const issue = h.chunk.meta.kind === "newsletter" ? h.chunk.meta.issue : undefined;
        return issue !== undefined && base !== undefined ? { ...src, url: `${base}/newsletter/${issue}` } : src;
      });
  }

  /** Opens (or joins) a ticket; undefined when the store failed (logged — the reply then says so). */
  private async openTicket(
    inc: Incoming,
    question: string,
    reason: HandoverReason | "person_requested" | "individual_case",
    result: Found,
    draft: string | undefined,
    history: TurnRecord[],
    turnId?: number,
    /** The whole message, when the ticket is one question of it: staff read the part with what it refers to ("ihn"). */
    message?: string,
    followsUp = false,
  ): Promise<{ id: number; isNew: boolean; otherOpen?: number; capped?: boolean } | undefined> {
    // Topics only from passages with most of the question's words: for a question about something the knowledge
    // does not know, the top search hits are about something else, and staff's list of knowledge gaps
    // ("Wissenslücken") would count it there.
    // Of two such passages only the topics both share: two passages on different topics say the question has none
    // the knowledge knows.
    const topical = result.hits.slice(0, 2).filter((h) => h.coverage >= TOPIC_MIN_COVERAGE).map(passageTopics);
    const topics = topical.length ? [...new Set(topical[0].filter((t) => topical.every((ts) => ts.includes(t))))] : [];
    try {
      const { ticket, isNew, otherOpen, capped } = await this.deps.handover.open({
        channel: inc.channel, conversationId: inc.conversationId, userId: inc.userId, userName: inc.userName,
        question, reason, topics, turnId, draftAnswer: draft, followsUp,
        // The conversation before the question: a question handed over later ("Mensch") is itself in the history.
        // Counted as "before", it made an unrelated open Vorgang ending in the same "und bis wann?" look like its
        // matter, and the hand-over joined it (user test).
        context: [
          ...(turnId === undefined ? history : history.filter((t) => t.id < turnId)).slice(-3)
            .flatMap((t) => [{ role: "mayor" as const, text: this.askedAs(t) }, { role: "bot" as const, text: t.answer }]),
          ...(message && message !== question ? [{ role: "mayor" as const, text: message }] : []),
        ],
        // Passages the answer check found likely enough to offer the mayor count too (a typo can lower the share).
        passages: result.hits.filter((h) => h.coverage >= TOPIC_MIN_COVERAGE || result.related?.includes(h)).slice(0, 5)
          .map((h) => ({ id: h.chunk.meta.chunkId, title: toSource(h).title, excerpt: toSource(h, 600).excerpt })),
      });
      return { id: ticket.id, isNew, otherOpen, capped };
    } catch (err) {
      // Even if the ticket store fails, the reply says what happens and the error is logged with context.
      this.deps.log.error({ err, channel: inc.channel }, "could not open ticket");
      return undefined;
    }
  }

  private async handOver(
    inc: Incoming,
    question: string,
    reason: HandoverReason | "person_requested" | "individual_case",
    result: Found,
    reasons: string[],
    draft: string | undefined,
    history: TurnRecord[],
    turnId?: number,
    /** Shown under the hand-over while the mayor waits (the Förder-Finder's wider list). */
    meanwhile?: string,
  ): Promise<Reply> {
    const ticketInfo = await this.openTicket(inc, question, reason, result, draft, history, turnId, undefined, reasons.some((r) => r.startsWith(FOLLOWUP_REASON)));
    // "Gespeichert" only when the store confirmed it: a failed ticket says so and names who to contact.
    const lines = !ticketInfo
      ? [MSG.notStored(this.contact())]
      : ticketInfo.isNew
        ? [reason === "funding_check" && reasons.some((r) => r.startsWith(FROM_STORY_REASON)) ? MSG.handover.checkList : MSG.handover[reason], MSG.handover.ticketLine(ticketInfo.id), ...(ticketInfo.otherOpen ? [MSG.handover.otherOpen(ticketInfo.otherOpen)] : [])]
        : [ticketInfo.capped ? MSG.handover.appendedCapped(ticketInfo.id, MAX_OPEN_TICKETS_PER_PERSON) : MSG.handover.appended(ticketInfo.id)];
    // A call needs a number: asked for the first time, the team had none (user test). Not in a group chat, where
    // everyone would read it.
    if (reason === "person_requested" && ticketInfo?.isNew && !inc.isGroup && !(await this.reachKnown(inc))) lines.push(MSG.handover.askReach);
    // Asked about another Land or country: the mayor learns at once why there is no answer here.
    if ((reason === "low_confidence" || reason === "not_covered") && ticketInfo?.isNew && result.outside?.length) lines.push(MSG.handover.outsideScope(result.outside));
    if (meanwhile) lines.push(meanwhile);
    // Related passages still help while the mayor waits (not for individual cases: they need a person; not under
    // a message added to an open Vorgang, where they read as the answer to it).
    const related = (reason === "low_confidence" || reason === "not_covered") && ticketInfo?.isNew !== false ? result.related ?? [] : [];
    const reply: Reply = {
      action: "handover",
      text: lines.join("\n\n"),
      sources: related.length ? this.sources(related, inc.channel).slice(0, 3) : [],
      confidence: result.confidence,
      reasons: [...reasons, `handover:${reason}`],
      ticket: ticketInfo && { id: ticketInfo.id, isNew: ticketInfo.isNew },
      offerFeedback: false,
    };
    if (turnId) return reply;
    return this.record(inc, question, reply, result.hits);
  }

  private async reachKnown(inc: Incoming): Promise<boolean> {
    try {
      return await this.deps.handover.reachKnown(inc.channel, inc.userId);
    } catch (err) {
      // Not knowing costs one line more, never the hand-over.
      this.deps.log.warn({ err }, "could not check contact details");
      return true;
    }
  }

  private simple(action: Reply["action"], text: string, reasons: string[]): Reply {
    return { action, text, sources: [], confidence: 1, reasons, offerFeedback: false };
  }

  private async record(inc: Incoming, question: string, reply: Reply, hits: Hit[]): Promise<Reply> {
    try {
      reply.turnId = await this.deps.store.addTurn({
        channel: inc.channel, conversationId: inc.conversationId, userId: inc.userId, question,
        action: reply.action, answer: reply.text, confidence: reply.confidence, reasons: reply.reasons,
        sourceIds: reply.sources.map((s) => s.id), topics: [...new Set(hits.slice(0, 1).flatMap(passageTopics))],
      });
    } catch (err) {
      this.deps.log.error({ err }, "could not store turn");
    }
    return reply;
  }
}
