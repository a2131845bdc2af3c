import type { ChannelName } from "../core/types.js";
import type { RateLimiter, TicketRecord, TicketStatus, TurnRecord, WeeklyStats } from "./store.js";
import { StoreError } from "./store-error.js";
import { isQuestionTurn, wentToStaff } from "../core/question-turn.js";

/** Column shapes shared by the SQLite and PostgreSQL back-ends (ids are bigint strings in pg). */
export interface TicketRow {
  id: number | string; channel: string; conversation_id: string; user_id: string; user_name: string | null;
  village: string | null; question: string; context: string; passages: string; draft_answer: string | null;
  reason: string; topics: string; status: string; staff_member: string | null; answer: string | null;
  messages: string; staff_post_ref: string | null; created_at: string; updated_at: string;
  answered_at: string | null; last_reminded_at: string | null; request_id?: string | null;
}

export interface TurnRow {
  id: number | string; channel: string; conversation_id: string; user_id: string; question: string; action: string;
  answer: string; confidence: number; reasons: string; source_ids: string; topics: string;
  feedback: number | null; created_at: string;
}

export function toTicket(r: TicketRow): TicketRecord {
  return {
    id: Number(r.id),
    channel: r.channel as ChannelName,
    conversationId: r.conversation_id,
    userId: r.user_id,
    userName: r.user_name ?? undefined,
    village: r.village ?? undefined,
    question: r.question,
    context: JSON.parse(r.context),
    passages: JSON.parse(r.passages),
    draftAnswer: r.draft_answer ?? undefined,
    reason: r.reason as TicketRecord["reason"],
    topics: JSON.parse(r.topics),
    status: r.status as TicketStatus,
    staffMember: r.staff_member ?? undefined,
    answer: r.answer ?? undefined,
    messages: JSON.parse(r.messages),
    staffPostRef: r.staff_post_ref ?? undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    answeredAt: r.answered_at ?? undefined,
    lastRemindedAt: r.last_reminded_at ?? undefined,
    ...(r.request_id ? { requestId: r.request_id } : {}),
  };
}

export function toTurn(r: TurnRow): TurnRecord {
  return {
    id: Number(r.id),
    channel: r.channel as ChannelName,
    conversationId: r.conversation_id,
    userId: r.user_id,
    question: r.question,
    action: r.action as TurnRecord["action"],
    answer: r.answer,
    confidence: Number(r.confidence),
    reasons: JSON.parse(r.reasons),
    sourceIds: JSON.parse(r.source_ids),
    topics: JSON.parse(r.topics),
    feedback: r.feedback === null || r.feedback === undefined ? undefined : Number(r.feedback),
    createdAt: r.created_at,
  };
}

/** Per-week counts from turn rows (both back-ends select the rows, this adds them up the same way). */
export function weeklyFromRows(rows: { action: string; question: string; reasons: string; feedback: number | null; created_at: string }[], weekOf: (iso: string) => string): WeeklyStats[] {
  const byWeek = new Map<string, WeeklyStats>();
  for (const r of rows) {
    const w = weekOf(r.created_at);
    const s = byWeek.get(w) ?? { week: w, questions: 0, answered: 0, handedOver: 0, thumbsUp: 0, thumbsDown: 0 };
    const question = isQuestionTurn(r);
    if (question) s.questions++;
    if (question && wentToStaff(r)) s.handedOver++;
    else if (question && r.action === "answer") s.answered++;
    if (Number(r.feedback) === 1) s.thumbsUp++;
    if (Number(r.feedback) === -1) s.thumbsDown++;
    byWeek.set(w, s);
  }
  return [...byWeek.values()].sort((a, b) => a.week.localeCompare(b.week));
}

/** Topic counts with up to three example questions, most frequent first. */
export function topicsFromRows(rows: { topics: string; question: string }[]): { topic: string; count: number; examples: string[] }[] {
  const m = new Map<string, { topic: string; count: number; examples: string[] }>();
  for (const r of rows) {
    const topics = JSON.parse(r.topics) as string[];
    for (const t of topics.length ? topics : ["(ohne Thema)"]) {
      const e = m.get(t) ?? { topic: t, count: 0, examples: [] };
      e.count++;
      if (e.examples.length < 3) e.examples.push(r.question);
      m.set(t, e);
    }
  }
  return [...m.values()].sort((a, b) => b.count - a.count);
}

/**
 * rate-limiter-flexible rejects with a result object when points are used up and with an Error when
 * the store fails; both back-ends turn that into the Store's answer (or a StoreError).
 */
export function limiterFrom(
  lib: { consume(key: string): Promise<unknown>; delete(key: string): Promise<unknown>; reward(key: string, points: number): Promise<unknown> },
  before?: () => Promise<void>,
): RateLimiter {
  const take = async (key: string): Promise<number | undefined> => {
    await before?.();
    try {
      await lib.consume(key);
      return undefined;
    } catch (res) {
      if (res instanceof Error) throw new StoreError("rate limiter failed", { cause: res });
      const ms = (res as { msBeforeNext?: number }).msBeforeNext ?? 1000;
      return Math.max(1, Math.ceil(ms / 1000));
    }
  };
  const wrap = (what: (key: string) => Promise<unknown>) => async (key: string): Promise<void> => {
    await before?.();
    try {
      await what(key);
    } catch (err) {
      throw new StoreError("rate limiter failed", { cause: err });
    }
  };
  return {
    take,
    allow: async (key) => (await take(key)) === undefined,
    reset: wrap((key) => lib.delete(key)),
    giveBack: wrap((key) => lib.reward(key, 1)),
  };
}

/** Source chunk ids of answers ("faq-x", "nl-2021-06#4") counted per entry (doc id, before "#"), once per answer. */
export function usageFromRows(rows: { source_ids: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    let ids: unknown;
    try {
      ids = JSON.parse(r.source_ids);
    } catch {
      continue;
    }
    if (!Array.isArray(ids)) continue;
    for (const doc of new Set(ids.map((x) => String(x).split("#")[0]))) out.set(doc, (out.get(doc) ?? 0) + 1);
  }
  return out;
}
