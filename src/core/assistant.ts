import type { Logger } from "pino";
import type { Incoming, Reply, Source } from "./types.js";
import { MSG } from "./messages.js";
import { detectIntent } from "./intent-rules.js";
import { sanitizeText } from "./sanitize.js";
import type { HybridRetriever, Hit, SearchResult } from "../retrieval/hybrid-retriever.js";
import type { HandoverService } from "../handover/handover-service.js";
import type { HandoverReason, RateLimiter, Store, TurnRecord } from "../store/store.js";
import { extractiveAnswer } from "../answer/extractive-answerer.js";
import { llmAnswer, type ChatCompleter } from "../answer/llm-answerer.js";
import type { Prompts } from "../answer/prompts.js";
import { LlmError } from "../answer/llm-error.js";
import { standOf, toSource } from "../answer/format.js";
import { terms } from "../retrieval/german-text.js";

export interface AssistantOptions {
  answerMinConfidence: number;
  followupWindowMinutes: number;
  maxSources?: number;
  /** Questions per user per minute; beyond that a friendly wait message (the question is still stored). */
  rateLimitPerMinute?: number;
  accessMode?: "open" | "invite";
  contactText?: string;
  /** Short "no legal advice" line under legal answers (from knowledge/README.md, "Kurzform:"). */
  disclaimer?: string;
}

export interface AssistantDeps {
  store: Store;
  retriever: HybridRetriever;
  handover: HandoverService;
  log: Logger;
  options: AssistantOptions;
  llm?: { chat: ChatCompleter; prompts: Prompts; redact: boolean };
}

/** A message that starts like this continues the previous question ("und bis wann?", "gilt das auch …"). */
const CONTINUATION = /^(und|aber|auch|also|oder|gilt (das|dies|es)|geht (das|es)|was ist mit|wie ist es mit|wie sieht('?s| es) mit|wenn ja|wenn nein|dafür|dazu|bis wann|ab wann|wie viel|wieviel|wie hoch|wie lange|was kostet|und wer|wer genau|wo genau)\b/;
/** Pointing back to something said before. */
const ANAPHORA = /\b(das|dafür|dazu|dort|davon|darauf|daran|dabei|dies(e|er|es)?|die auch|der auch|es auch)\b/;

/**
 * The channel-neutral heart of Ortslotse: one message in, one reply out, with a decision for every
 * message (answer, handover, smalltalk, refuse) and nothing a mayor asked ever dropped.
 */
const INVITE = /^\/?start\s+([A-Za-z0-9_-]{6,64})\s*$/i;

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

  private contact(): string {
    return this.deps.options.contactText ?? "Kreisverwaltung Trier-Saarburg";
  }

  get retriever(): HybridRetriever {
    return this.deps.retriever;
  }

  async handle(inc: Incoming): Promise<Reply> {
    const { store, log } = this.deps;
    const clean = sanitizeText(inc.text);
    await store.saveConversation({ channel: inc.channel, conversationId: inc.conversationId, isGroup: inc.isGroup, reference: inc.reference });
    if (!clean.text || clean.unreadable) {
      return this.simple("smalltalk", MSG.empty, [clean.unreadable ? "input:unreadable" : "input:empty"]);
    }
    const admission = await this.admitted(inc, clean.text);
    if (admission !== true) return admission;
    if (this.limiter && !(await this.limiter.allow(`${inc.channel}:${inc.userId}`))) {
      // Kept, so staff can see it if the person complains; answered only with the wait note.
      return this.record(inc, clean.stored, this.simple("smalltalk", MSG.rateLimited, ["rate_limited"]), []);
    }
    const intent = detectIntent(clean.text);
    log.debug({ intent: intent.kind, reasons: intent.reasons }, "intent");

    if (intent.kind === "smalltalk") {
      const text = MSG[intent.type];
      return this.record(inc, clean.stored, this.simple("smalltalk", text, intent.reasons), []);
    }
    if (intent.kind === "refuse") {
      // Refused texts are not stored verbatim: they may carry abuse or injection payloads.
      return this.record(inc, "[abgelehnte Nachricht]", this.simple("refuse", MSG.refuse[intent.type], intent.reasons), []);
    }

    const history = await this.history(inc);
    const search = await this.retrieve(clean.text, history);
    const reasons = [...intent.reasons, ...search.reasons];
    if (clean.truncated) reasons.push("input:truncated");

    if (intent.kind === "handover") {
      return this.handOver(inc, clean.stored, intent.type, search.result, reasons, undefined, history);
    }
    const conf = search.result.confidence;
    if (conf < this.deps.options.answerMinConfidence || !search.result.hits.length) {
      reasons.push(`confidence:${conf.toFixed(2)}<${this.deps.options.answerMinConfidence}`);
      return this.handOver(inc, clean.stored, search.result.hits.length ? "low_confidence" : "not_covered", search.result, reasons, undefined, history);
    }
    reasons.push(`confidence:${conf.toFixed(2)}`);
    return this.answer(inc, clean, search.result, reasons, history);
  }

  /** Thumbs up/down; a thumbs-down hands the question over so a person looks at it. */
  async feedback(inc: Incoming, turnId: number, value: 1 | -1): Promise<Reply | undefined> {
    const turn = await this.deps.store.getTurn(turnId);
    if (!turn || turn.channel !== inc.channel || turn.conversationId !== inc.conversationId) return undefined;
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
    const turn = turnId ? await this.deps.store.getTurn(turnId) : (await this.deps.store.recentTurns(inc.channel, inc.conversationId, 1))[0];
    if (turn && turn.channel === inc.channel && turn.conversationId === inc.conversationId && turn.action !== "refuse") {
      return this.handOverTurn(inc, turn, "person_requested");
    }
    const text = sanitizeText(inc.text).stored || "Bitte um Rückmeldung durch das Team.";
    return this.handOver(inc, text, "person_requested", { hits: [], confidence: 0, queryTerms: [], unknownTerms: [] }, ["person:command"], undefined, []);
  }

  private async handOverTurn(inc: Incoming, turn: TurnRecord, reason: HandoverReason): Promise<Reply> {
    const search = await this.deps.retriever.search(turn.question, 5);
    const history = await this.history(inc);
    return this.handOver(inc, turn.question, reason, search, [`${reason}:turn-${turn.id}`], turn.action === "answer" ? turn.answer : undefined, history, turn.id);
  }

  private async history(inc: Incoming): Promise<TurnRecord[]> {
    const turns = await this.deps.store.recentTurns(inc.channel, inc.conversationId, 6);
    const since = Date.now() - this.deps.options.followupWindowMinutes * 60_000;
    return turns.filter((t) => Date.parse(t.createdAt) >= since && (t.action === "answer" || t.action === "handover"));
  }

  private async retrieve(text: string, history: TurnRecord[]): Promise<{ result: SearchResult; reasons: string[] }> {
    const own = await this.deps.retriever.search(text, this.deps.options.maxSources ?? 5);
    const prev = history[history.length - 1];
    const contentWords = terms(text).length;
    if (!prev || contentWords > 8) return { result: own, reasons: [] };
    const combined = await this.deps.retriever.search(`${prev.question} ${text}`, this.deps.options.maxSources ?? 5);
    const lower = text.toLowerCase().trim();
    // An unrelated new question must stay on its own, even though the old one would match better.
    const continues = CONTINUATION.test(lower) || contentWords <= 2;
    const pointsBack = ANAPHORA.test(lower) && own.confidence < this.deps.options.answerMinConfidence;
    if ((continues || pointsBack) && combined.confidence >= own.confidence) {
      return { result: combined, reasons: [`followup:turn-${prev.id}`] };
    }
    return { result: own, reasons: [] };
  }

  private async answer(inc: Incoming, clean: { text: string; stored: string; truncated: boolean }, result: SearchResult, reasons: string[], history: TurnRecord[]): Promise<Reply> {
    const hits = result.hits;
    let body: string;
    let used: Hit[];
    let sourcesHits = hits;
    const llm = this.deps.llm;
    const extract = () => extractiveAnswer(clean.text, hits);
    if (llm) {
      try {
        const res = await llmAnswer({
          chat: llm.chat, prompts: llm.prompts, question: clean.text, redact: llm.redact, hits,
          history: history.slice(-3).flatMap((t) => [{ role: "mayor" as const, text: t.question }, { role: "bot" as const, text: t.answer }]),
        });
        if (res.notCovered) {
          reasons.push("llm:not_covered");
          return this.handOver(inc, clean.stored, "not_covered", result, reasons, extract().text, history);
        }
        body = res.text;
        used = res.cited;
        reasons.push("answer:llm");
      } catch (err) {
        const kind = err instanceof LlmError ? err.kind : "other";
        this.deps.log.warn({ err, kind }, "LLM failed, falling back to extractive answer");
        reasons.push(`llm_fallback:${kind}`);
        const d = extract();
        body = d.text;
        used = d.used;
      }
    } else {
      const d = extract();
      body = d.text;
      used = d.used;
      reasons.push("answer:extractive");
      // Show the passages the answer came from first, then the next best ones.
      sourcesHits = [...used, ...hits.filter((h) => !used.includes(h))];
    }
    if (!body.trim()) return this.handOver(inc, clean.stored, "low_confidence", result, [...reasons, "answer:empty"], undefined, history);
    const legal = used.some((h) => h.chunk.meta.legal);
    const disclaimer = this.deps.options.disclaimer ?? MSG.disclaimer;
    const stand = standOf(used.length ? used : hits.slice(0, 1));
    const unsure = result.confidence < 0.5 ? MSG.unsure : "";
    const parts = [clean.truncated ? MSG.tooLong : "", unsure, body.trim(), stand ? MSG.standLine(stand) : "", legal ? disclaimer : ""].filter(Boolean);
    const reply: Reply = {
      action: "answer",
      text: parts.join("\n\n"),
      sources: this.sources(sourcesHits),
      stand,
      disclaimer: legal ? disclaimer : undefined,
      confidence: result.confidence,
      reasons,
      offerFeedback: true,
    };
    return this.record(inc, clean.stored, reply, hits);
  }

  /** Sources worth showing: the used passages and others close to them, never filler. */
  private sources(hits: Hit[]): Source[] {
    const top = Math.max(...hits.map((h) => h.score), 0);
    return hits
      .filter((h, i) => i === 0 || h.score >= top * 0.45)
      .slice(0, this.deps.options.maxSources ?? 5)
      .map((h) => toSource(h));
  }

  private async handOver(
    inc: Incoming,
    question: string,
    reason: HandoverReason | "person_requested" | "individual_case",
    result: SearchResult,
    reasons: string[],
    draft: string | undefined,
    history: TurnRecord[],
    turnId?: number,
  ): Promise<Reply> {
    const topics = [...new Set(result.hits.slice(0, 2).flatMap((h) => h.chunk.meta.topics))];
    let ticketInfo: Reply["ticket"];
    let lines: string[];
    try {
      const { ticket, isNew } = await this.deps.handover.open({
        channel: inc.channel, conversationId: inc.conversationId, userId: inc.userId, userName: inc.userName,
        question, reason, topics, turnId, draftAnswer: draft,
        context: history.slice(-3).flatMap((t) => [{ role: "mayor" as const, text: t.question }, { role: "bot" as const, text: t.answer }]),
        passages: result.hits.slice(0, 5).map((h) => ({ id: h.chunk.meta.chunkId, title: toSource(h).title, excerpt: toSource(h, 600).excerpt })),
      });
      ticketInfo = { id: ticket.id, isNew };
      lines = isNew ? [MSG.handover[reason], MSG.handover.ticketLine(ticket.id)] : [MSG.handover.appended(ticket.id)];
    } catch (err) {
      // Even if the ticket store fails, the reply says what happens and the error is logged with context.
      this.deps.log.error({ err, channel: inc.channel }, "could not open ticket");
      lines = [MSG.error];
    }
    // Useful passages still help while the mayor waits (not for individual cases: they need a person).
    const partial = reason === "low_confidence" && result.hits.length && result.confidence > 0.25;
    const reply: Reply = {
      action: "handover",
      text: lines.join("\n\n"),
      sources: partial ? this.sources(result.hits).slice(0, 3) : [],
      confidence: result.confidence,
      reasons: [...reasons, `handover:${reason}`],
      ticket: ticketInfo,
      offerFeedback: false,
    };
    if (turnId) return reply;
    return this.record(inc, question, reply, result.hits);
  }

  private simple(action: Reply["action"], text: string, reasons: string[]): Reply {
    return { action, text, sources: [], confidence: 1, reasons, offerFeedback: false };
  }

  private async record(inc: Incoming, question: string, reply: Reply, hits: Hit[]): Promise<Reply> {
    try {
      reply.turnId = await this.deps.store.addTurn({
        channel: inc.channel, conversationId: inc.conversationId, userId: inc.userId, question,
        action: reply.action, answer: reply.text, confidence: reply.confidence, reasons: reply.reasons,
        sourceIds: reply.sources.map((s) => s.id), topics: [...new Set(hits.slice(0, 1).flatMap((h) => h.chunk.meta.topics))],
      });
    } catch (err) {
      this.deps.log.error({ err }, "could not store turn");
    }
    return reply;
  }
}
