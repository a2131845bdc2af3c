import type { Action, ChannelName } from "../core/types.js";

export interface ConversationRecord {
  channel: ChannelName;
  conversationId: string;
  isGroup: boolean;
  reference: unknown;
  title?: string;
}

export interface TurnInput {
  channel: ChannelName;
  conversationId: string;
  userId: string;
  question: string;
  action: Action;
  answer: string;
  confidence: number;
  reasons: string[];
  sourceIds: string[];
  topics: string[];
}

export interface TurnRecord extends TurnInput {
  id: number;
  createdAt: string;
  feedback?: number;
}

export type TicketStatus = "open" | "claimed" | "answered" | "closed";
export type HandoverReason =
  | "low_confidence"
  | "individual_case"
  | "person_requested"
  | "thumbs_down"
  | "llm_failure"
  | "not_covered"
  | "funding_check"
  | "delivery_failed"
  | "refusal_review";

export interface TicketInput {
  channel: ChannelName;
  conversationId: string;
  userId: string;
  userName?: string;
  village?: string;
  question: string;
  context: { role: "mayor" | "bot"; text: string }[];
  passages: { id: string; title: string; excerpt: string }[];
  draftAnswer?: string;
  reason: HandoverReason;
  topics: string[];
  turnId?: number;
  /** The request id of the message that opened it (the same id is in every log line of that message). */
  requestId?: string;
  /**
   * The question reads on from the mayor's message before ("und auf dem heimweg?"): the understanding read it with
   * that one. Not stored; it decides whether the message joins the Vorgang opened for the one before.
   */
  followsUp?: boolean;
}

export interface TicketMessage {
  at: string;
  from: "mayor" | "staff" | "system";
  author?: string;
  text: string;
}

export interface TicketRecord extends Omit<TicketInput, "turnId" | "followsUp"> {
  id: number;
  status: TicketStatus;
  staffMember?: string;
  answer?: string;
  messages: TicketMessage[];
  createdAt: string;
  updatedAt: string;
  answeredAt?: string;
  staffPostRef?: string;
  lastRemindedAt?: string;
}

export interface StaffAccount {
  id: number;
  name: string;
  passwordHash: string;
  mustChangePassword: boolean;
  createdAt: string;
}

export interface Subscription {
  channel: ChannelName;
  conversationId: string;
  createdAt: string;
  createdBy?: string;
}

export interface WeeklyStats {
  week: string;
  questions: number;
  answered: number;
  handedOver: number;
  thumbsUp: number;
  thumbsDown: number;
}

export interface RateLimiter {
  /** Counts one event for `key`; false when the key used up its points in the current window. */
  allow(key: string): Promise<boolean>;
  /** Counts one event; the seconds until `key` may act again when it is over the limit, else undefined. */
  take(key: string): Promise<number | undefined>;
  /** Forgets the counter of `key` (a successful login clears its failed ones). */
  reset(key: string): Promise<void>;
  /** Returns the point of one counted event (a login that turned out right). */
  giveBack(key: string): Promise<void>;
}

export interface Invite {
  code: string;
  createdBy: string;
  createdAt: string;
  usedBy?: string;
  usedAt?: string;
}

/** Where to send later (a chat's address), each question with its reply and feedback, and the web chat's outbox. */
export interface ConversationStore {
  saveConversation(c: ConversationRecord): Promise<void>;
  getConversation(channel: ChannelName, conversationId: string): Promise<ConversationRecord | undefined>;

  addTurn(t: TurnInput): Promise<number>;
  getTurn(id: number): Promise<TurnRecord | undefined>;
  recentTurns(channel: ChannelName, conversationId: string, limit: number): Promise<TurnRecord[]>;
  setFeedback(turnId: number, value: 1 | -1): Promise<boolean>;

  /** Messages for channels that cannot push (web chat polls them). */
  pushOutbox(channel: ChannelName, conversationId: string, text: string): Promise<void>;
  pullOutbox(channel: ChannelName, conversationId: string): Promise<{ id: number; text: string; createdAt: string }[]>;
}

/** Vorgänge: the hand-over queue. */
export interface TicketStore {
  createTicket(t: TicketInput): Promise<TicketRecord>;
  getTicket(id: number): Promise<TicketRecord | undefined>;
  /** The newest open or claimed ticket in a conversation; with `userId`, only that person's (groups hold several people). */
  findOpenTicket(channel: ChannelName, conversationId: string, userId?: string): Promise<TicketRecord | undefined>;
  /** That person's Vorgänge in one channel, newest first (all conversations; at most `limit`). */
  personTickets(channel: ChannelName, userId: string, limit?: number): Promise<TicketRecord[]>;
  /** That person's Vorgänge staff answered (and nobody closed), newest answer first: a Rückfrage in one waits for the mayor. */
  findAnsweredTickets(channel: ChannelName, conversationId: string, userId: string, limit?: number): Promise<TicketRecord[]>;
  /** An answered Vorgang the mayor added to is open again (staff see the addition in the queue); false if not answered. */
  reopenTicket(id: number): Promise<boolean>;
  addTicketMessage(id: number, m: Omit<TicketMessage, "at">): Promise<void>;
  /** Tickets in the given states, newest first (`oldestFirst`: the work queue order), one page at a time. */
  listTickets(filter?: { status?: TicketStatus[]; limit?: number; offset?: number; oldestFirst?: boolean }): Promise<TicketRecord[]>;
  /**
   * Vorgänge for the staff search, newest first: a number alone is the Vorgangsnummer; words (any case) must each occur in
   * the question, the story, a message, the name or the Ortsgemeinde.
   */
  searchTickets(text: string, limit?: number): Promise<TicketRecord[]>;
  /** Name and Ortsgemeinde a mayor gave for their Vorgang (web chat: there is no account name). */
  setTicketContact(id: number, contact: { userName: string; village: string }): Promise<void>;
  /** Open or claimed tickets of one person in one channel. */
  countOpenTickets(channel: ChannelName, userId: string): Promise<number>;
  /** How many tickets are in each state (all of them, not one page). */
  countTickets(): Promise<Record<TicketStatus, number>>;
  claimTicket(id: number, staffMember: string): Promise<TicketRecord | undefined>;
  answerTicket(id: number, staffMember: string, answer: string): Promise<TicketRecord | undefined>;
  closeTicket(id: number, staffMember: string): Promise<TicketRecord | undefined>;
  setTicketStaffPost(id: number, ref: string): Promise<void>;
  findTicketByStaffPost(ref: string): Promise<TicketRecord | undefined>;
  ticketsToRemind(olderThanIso: string, remindedBeforeIso: string): Promise<TicketRecord[]>;
  markReminded(id: number, atIso: string): Promise<void>;
}

export interface StaffStore {
  addStaff(name: string, passwordHash: string): Promise<StaffAccount>;
  getStaffByName(name: string): Promise<StaffAccount | undefined>;
  setStaffPassword(name: string, passwordHash: string, mustChange: boolean): Promise<void>;
}

/** The weekly digest and jobs that run once per period across instances. */
export interface DigestStore {
  subscribe(s: Omit<Subscription, "createdAt">): Promise<boolean>;
  unsubscribe(channel: ChannelName, conversationId: string): Promise<boolean>;
  listSubscriptions(): Promise<Subscription[]>;
  isSubscribed(channel: ChannelName, conversationId: string): Promise<boolean>;
  /** Returns false when this digest was already claimed for this chat (idempotent delivery). */
  claimDigestDelivery(digestKey: string, channel: ChannelName, conversationId: string): Promise<boolean>;
  markDigestDelivered(digestKey: string, channel: ChannelName, conversationId: string, ok: boolean, error?: string): Promise<void>;
  digestDeliveries(digestKey: string): Promise<{ channel: ChannelName; conversationId: string; status: string }[]>;
  /** True for exactly one caller per (job, period) across all instances sharing this store. */
  claimJobRun(job: string, period: string): Promise<boolean>;
}

/** Small named values shared by every instance (sessions, inboxes, published knowledge). */
/**
 * State keys under this prefix hold a turn's id as their value (a channel's message id → the answer's turn, for
 * feedback). The retention run deletes them with their turn: the key names the chat.
 */
export const TURN_REFERENCE_PREFIX = "turnref:";

export interface StateStore {
  getState(key: string): Promise<string | undefined>;
  setState(key: string, value: string): Promise<void>;
  deleteState(key: string): Promise<void>;
  /**
   * Reads and replaces one entry atomically, across instances: `change` gets the current value and
   * returns the new one (undefined deletes it). Returns what was stored. `change` must not await.
   */
  updateState(key: string, change: (current: string | undefined) => string | undefined): Promise<string | undefined>;
  /** Every state entry whose key starts with `prefix`, oldest key first. */
  listState(prefix: string): Promise<{ key: string; value: string }[]>;
}

export interface StaffSessionRecord {
  sid: string;
  name: string;
  csrf: string;
  expiresAt: string;
}

/** Server-side sessions of /staff: the cookie names one; logging out or a password reset removes them. */
export interface SessionStore {
  /** Adds a session and keeps only the account's newest `keep` (laptop, phone, …); expired ones go too. */
  addStaffSession(s: StaffSessionRecord, keep: number): Promise<void>;
  /** The session if it exists and has not expired. */
  getStaffSession(name: string, sid: string): Promise<StaffSessionRecord | undefined>;
  /** Ends one session (`sid`), or all of an account but `exceptSid`, or all of them. */
  deleteStaffSessions(name: string, which?: { sid?: string; exceptSid?: string }): Promise<void>;
}

export type InboxClaim = "new" | "unfinished" | "done";

/**
 * Incoming updates (Telegram updates, Teams activities) by channel and id: a marker that each was seen
 * (duplicates are not answered twice) and, until it is finished, the update itself (a crash mid-answer
 * ends in a reply once the process is back).
 */
export interface InboxStore {
  /** Keeps an update that has arrived but is not claimed yet (Telegram polling: before the runner sees it). */
  keepUpdate(channel: ChannelName, key: string, payload: string): Promise<void>;
  /** True for exactly one caller per update (across instances); keeps the payload for a replay. */
  claimUpdate(channel: ChannelName, key: string, payload: string): Promise<boolean>;
  /**
   * Claims an update, or says what happened to it before: "new" (claimed now), "unfinished" (claimed
   * before, its processing never finished: process again), "done".
   */
  beginUpdate(channel: ChannelName, key: string, payload: string): Promise<InboxClaim>;
  /** Processed: the marker stays (for duplicates), the payload is dropped. */
  finishUpdate(channel: ChannelName, key: string): Promise<void>;
  /** Updates kept but never finished, oldest first. */
  unfinishedUpdates(channel: ChannelName): Promise<{ key: string; payload: string }[]>;
}

/** Invite codes and members (ACCESS_MODE=invite). */
export interface AccessStore {
  createInvite(code: string, createdBy: string): Promise<void>;
  /** Marks the code used by this user and makes them a member; false for unknown or used codes. */
  redeemInvite(code: string, channel: ChannelName, userId: string): Promise<boolean>;
  listInvites(): Promise<Invite[]>;
  addMember(channel: ChannelName, userId: string, via: string): Promise<void>;
  isMember(channel: ChannelName, userId: string): Promise<boolean>;
}

export interface StatsStore {
  weeklyStats(weeks: number): Promise<WeeklyStats[]>;
  topicCounts(sinceIso: string, filter: "handover" | "thumbs_down" | "all"): Promise<{ topic: string; count: number; examples: string[] }[]>;
  /** How often each knowledge entry (doc id) was a source of an answer since then. */
  sourceUsage(sinceIso: string): Promise<Map<string, number>>;
}

/** A person's data and the retention rules. */
export interface PrivacyStore {
  exportUserData(channel: ChannelName, userId: string): Promise<{ turns: TurnRecord[]; tickets: TicketRecord[] }>;
  deleteUserData(channel: ChannelName, userId: string): Promise<number>;
  /** Everything past the retention cut-off that is not an open ticket; returns the rows removed. */
  purgeOlderThan(iso: string): Promise<number>;
  /** The closed tickets `purgeOlderThan(iso)` removes, with where their staff post was (to clear the staff chat first). */
  closedTicketsBefore(iso: string): Promise<{ id: number; staffPostRef?: string }[]>;
  /**
   * Tickets not closed and untouched since `iso`: closed, and every personal field emptied (who asked,
   * what, the chat, the staff answer). Returns them as they are after that, for the one staff notice.
   */
  expireStaleTickets(iso: string): Promise<TicketRecord[]>;
}

/**
 * Everything Ortslotse persists, by aggregate. Async so that PostgreSQL fits the same contract; one
 * implementation for both databases (sql-store.ts) passes test/store/store-contract.test.ts.
 */
export interface Store extends ConversationStore, TicketStore, StaffStore, SessionStore, InboxStore, DigestStore, StateStore, AccessStore, StatsStore, PrivacyStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** A limiter whose counters live in this store, so several instances share them. */
  rateLimiter(name: string, points: number, durationSec: number): RateLimiter;
}
