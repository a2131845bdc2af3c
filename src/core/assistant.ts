import type { Logger } from "pino";
import type { Incoming, Reply, Source } from "./types.js";
import { MSG } from "./messages.js";
import type { Understander } from "./understand.js";
import { AnswerPlanner, type AskPlan } from "./answer-planner.js";
import { sanitizeText } from "./sanitize.js";
import type { HybridRetriever, Hit } from "../retrieval/hybrid-retriever.js";
import type { HandoverService } from "../handover/handover-service.js";
import type { HandoverReason, RateLimiter, Store, TurnRecord } from "../store/store.js";
import { llmAnswer, type ChatCompleter } from "../answer/llm-answerer.js";
import type { Prompts } from "../answer/prompts.js";
import { LlmError } from "../answer/llm-error.js";
import { standOf, toSource } from "../answer/format.js";
import { collectMyData, describeMyData } from "./my-data.js";
import { terms } from "../retrieval/german-text.js";

/** Passages found for a message, and the probability that the best answer from them is right. */
interface Found {
  hits: Hit[];
  confidence: number;
  /** Passages worth showing while the mayor waits (close to an answer, not just on the topic). */
  related?: Hit[];
}

/** A candidate this likely right is shown as a related passage under a hand-over. */
const RELATED_MIN_PROBABILITY = 0.3;

export interface AssistantOptions {
  /** Overrides the calibrated threshold (language/calibration.json) when set. */
  answerMinConfidence?: number;
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
  understander: Understander;
  planner: AnswerPlanner;
  handover: HandoverService;
  log: Logger;
  options: AssistantOptions;
  llm?: { chat: ChatCompleter; prompts: Prompts; redact: boolean };
}

/**
 * The channel-neutral heart of Ortslotse: one message in, one reply out, with a decision for every
 * message (answer, handover, smalltalk, refuse) and nothing a mayor asked ever dropped.
 */
const INVITE = /^\/?start\s+([A-Za-z0-9_-]{6,64})\s*$/i;
/** "/meine_daten", "meine Daten", "/loeschen", "löschen ja": the privacy commands, typed in any channel. */
const PRIVACY_COMMAND = /^\/?(?:meine[ _]daten|(l(?:ö|oe)schen)(\s+ja)?)[\s.!]*$/i;
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
    const command = PRIVACY_COMMAND.exec(clean.text.trim());
    if (command) return command[1] ? this.deleteMyData(inc, Boolean(command[2])) : this.myData(inc);
    if (this.limiter && !(await this.limiter.allow(`${inc.channel}:${inc.userId}`))) {
      // Kept, so staff can see it if the person complains; answered only with the wait note.
      return this.record(inc, clean.stored, this.simple("smalltalk", MSG.rateLimited, ["rate_limited"]), []);
    }
    const u = this.deps.understander.understand(clean.text);
    log.debug({ kind: u.kind, reasons: u.reasons }, "understood");

    if (u.kind === "smalltalk") {
      return this.record(inc, clean.stored, this.simple("smalltalk", MSG[u.type], u.reasons), []);
    }
    if (u.kind === "refuse") {
      // Refused texts are not stored verbatim: they may carry abuse or injection payloads.
      return this.record(inc, "[abgelehnte Nachricht]", this.simple("refuse", MSG.refuse[u.type], u.reasons), []);
    }

    const history = await this.history(inc);
    const previous = history[history.length - 1];
    const plans = await this.deps.planner.planMessage(u.asks, u.context, previous?.question, (a) => this.deps.understander.continues(a), u.kind === "question" ? u.staffLikelihood : 1);
    const reasons = [...u.reasons];
    if (clean.truncated) reasons.push("input:truncated");
    plans.forEach((p, i) => {
      if (p.followup) reasons.push(`followup:turn-${previous!.id}`);
      if (p.best) reasons.push(`ask${i + 1}:p=${p.best.probability.toFixed(2)}:${p.best.hit.chunk.meta.chunkId}`);
      if (p.ask.unknown.length) reasons.push(`ask${i + 1}:unknown-terms:${p.ask.unknown.length}`);
    });
    const hits = AnswerPlanner.hitsOf(plans);
    const related = plans.flatMap((p) => p.candidates.filter((c) => c.probability >= RELATED_MIN_PROBABILITY)).sort((a, b) => b.probability - a.probability).map((c) => c.hit);
    const result = { hits, confidence: Math.max(0, ...plans.map((p) => p.best?.probability ?? 0)), related: [...new Set(related)] };

    if (u.kind === "handover") {
      return this.handOver(inc, clean.stored, u.type, result, reasons, undefined, history);
    }
    const threshold = this.deps.options.answerMinConfidence ?? this.deps.planner.threshold;
    const good = plans.filter((p) => p.best && p.best.probability >= threshold);
    if (!good.length) {
      reasons.push(`confidence:${result.confidence.toFixed(2)}<${threshold.toFixed(2)}`);
      return this.handOver(inc, clean.stored, hits.length ? "low_confidence" : "not_covered", result, reasons, undefined, history);
    }
    const open = plans.filter((p) => !good.includes(p));
    return this.answer(inc, clean, good, open, reasons, history);
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
    const n = await this.deps.store.deleteUserData(inc.channel, inc.userId);
    this.deps.log.info({ deleted: n, channel: inc.channel }, "user data deleted on request");
    return this.simple("smalltalk", MSG.privacy.deleted(n), ["privacy:deleted"]);
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
    return this.handOver(inc, text, "person_requested", { hits: [], confidence: 0 }, ["person:command"], undefined, []);
  }

  private async handOverTurn(inc: Incoming, turn: TurnRecord, reason: HandoverReason): Promise<Reply> {
    const plan = await this.deps.planner.plan(turn.question);
    const history = await this.history(inc);
    const found = { hits: AnswerPlanner.hitsOf([plan]), confidence: plan.best?.probability ?? 0 };
    return this.handOver(inc, turn.question, reason, found, [`${reason}:turn-${turn.id}`], turn.action === "answer" ? turn.answer : undefined, history, turn.id);
  }

  private async history(inc: Incoming): Promise<TurnRecord[]> {
    const turns = await this.deps.store.recentTurns(inc.channel, inc.conversationId, 6);
    const since = Date.now() - this.deps.options.followupWindowMinutes * 60_000;
    return turns.filter((t) => Date.parse(t.createdAt) >= since && (t.action === "answer" || t.action === "handover"));
  }

  private async answer(inc: Incoming, clean: { text: string; stored: string; truncated: boolean }, good: AskPlan[], open: AskPlan[], reasons: string[], history: TurnRecord[]): Promise<Reply> {
    const bests = good.map((p) => p.best!);
    const hits = AnswerPlanner.hitsOf(good);
    const confidence = Math.min(...bests.map((b) => b.probability));
    let body: string;
    let used: Hit[] = [...new Set(bests.map((b) => b.hit))];
    const llm = this.deps.llm;
    // Offline: each question's answer from its best passage, each passage once.
    const extract = () => {
      const seen = new Set<Hit>();
      return bests.filter((b) => !seen.has(b.hit) && seen.add(b.hit)).map((b) => b.shown.trim()).filter(Boolean).join("\n\n");
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
      const t = await this.openTicket(inc, p.text, "low_confidence", { hits: AnswerPlanner.hitsOf([p]), confidence: p.best?.probability ?? 0 }, undefined, history);
      if (t) {
        ticket = t;
        openLines.push(MSG.partlyHandedOver(p.text, t.id));
        reasons.push(`handover:part:${t.id}`);
      }
    }
    const legal = used.some((h) => h.chunk.meta.legal);
    const disclaimer = this.deps.options.disclaimer ?? MSG.disclaimer;
    const stand = standOf(used.length ? used : hits.slice(0, 1));
    const parts = [clean.truncated ? MSG.tooLong : "", body.trim(), ...openLines, stand ? MSG.standLine(stand) : "", legal ? disclaimer : ""].filter(Boolean);
    const alsoRight = good.flatMap((p) => p.candidates.filter((c) => c.probability >= (this.deps.options.answerMinConfidence ?? this.deps.planner.threshold)).map((c) => c.hit));
    const reply: Reply = {
      action: "answer",
      text: parts.join("\n\n"),
      sources: this.sources([...used, ...alsoRight.filter((h) => !used.includes(h))]),
      stand,
      disclaimer: legal ? disclaimer : undefined,
      confidence,
      reasons,
      ticket,
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

  /** Opens (or joins) a ticket; undefined when the store failed (logged — the reply then says so). */
  private async openTicket(
    inc: Incoming,
    question: string,
    reason: HandoverReason | "person_requested" | "individual_case",
    result: Found,
    draft: string | undefined,
    history: TurnRecord[],
    turnId?: number,
  ): Promise<{ id: number; isNew: boolean; otherOpen?: number } | undefined> {
    const topics = [...new Set(result.hits.slice(0, 2).flatMap((h) => h.chunk.meta.topics))];
    try {
      const { ticket, isNew, otherOpen } = await this.deps.handover.open({
        channel: inc.channel, conversationId: inc.conversationId, userId: inc.userId, userName: inc.userName,
        question, reason, topics, turnId, draftAnswer: draft,
        context: history.slice(-3).flatMap((t) => [{ role: "mayor" as const, text: t.question }, { role: "bot" as const, text: t.answer }]),
        passages: result.hits.slice(0, 5).map((h) => ({ id: h.chunk.meta.chunkId, title: toSource(h).title, excerpt: toSource(h, 600).excerpt })),
      });
      return { id: ticket.id, isNew, otherOpen };
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
  ): Promise<Reply> {
    const ticketInfo = await this.openTicket(inc, question, reason, result, draft, history, turnId);
    // "Gespeichert" only when the store confirmed it: a failed ticket says so and names who to contact.
    const lines = !ticketInfo
      ? [MSG.notStored(this.contact())]
      : ticketInfo.isNew
        ? [MSG.handover[reason], MSG.handover.ticketLine(ticketInfo.id), ...(ticketInfo.otherOpen ? [MSG.handover.otherOpen(ticketInfo.otherOpen)] : [])]
        : [MSG.handover.appended(ticketInfo.id)];
    // Related passages still help while the mayor waits (not for individual cases: they need a person).
    const related = reason === "low_confidence" || reason === "not_covered" ? result.related ?? [] : [];
    const reply: Reply = {
      action: "handover",
      text: lines.join("\n\n"),
      sources: related.length ? this.sources(related).slice(0, 3) : [],
      confidence: result.confidence,
      reasons: [...reasons, `handover:${reason}`],
      ticket: ticketInfo && { id: ticketInfo.id, isNew: ticketInfo.isNew },
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
