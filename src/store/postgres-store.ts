import pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { Logger } from "pino";
import type { ChannelName } from "../core/types.js";
import type {
  ConversationRecord,
  Invite,
  RateLimiter,
  StaffAccount,
  Store,
  Subscription,
  TicketInput,
  TicketMessage,
  TicketRecord,
  TicketStatus,
  TurnInput,
  TurnRecord,
  WeeklyStats,
} from "./store.js";
import { StoreError } from "./store-error.js";
import { EXPIRE_TICKET_SQL, PURGE_SQL } from "./retention-sql.js";
import { limiterFrom, toTicket, toTurn, topicsFromRows, usageFromRows, weeklyFromRows, type TicketRow, type TurnRow } from "./row-mapping.js";
import { isoWeek } from "./sqlite-store.js";

/*
 * Column choices, so that this back-end behaves exactly like SqliteStore:
 * - Timestamps are the application's ISO strings, stored as text with the "C" collation: they come back
 *   byte for byte as written, and compare in time order whatever the database's default collation is.
 * - JSON values are stored as their JSON.stringify text and parsed on read, as in SQLite (jsonb would
 *   reorder keys, turn a JSON null into SQL NULL and reject "\u0000" escapes).
 * - Ids are bigint identities, returned as JS numbers.
 */
const TS = `text COLLATE "C"`;

/** Ordered migrations, recorded in schema_migrations. Never edit one that shipped: append (keep the numbering in step with SQLite's). */
const MIGRATIONS: string[] = [
  `CREATE TABLE conversations (
     channel text NOT NULL, conversation_id text NOT NULL, is_group boolean NOT NULL DEFAULT false,
     reference text, title text, updated_at ${TS} NOT NULL,
     PRIMARY KEY (channel, conversation_id));
   CREATE TABLE turns (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, channel text NOT NULL, conversation_id text NOT NULL,
     user_id text NOT NULL, question text NOT NULL, action text NOT NULL, answer text NOT NULL,
     confidence double precision NOT NULL, reasons text NOT NULL, source_ids text NOT NULL, topics text NOT NULL,
     feedback smallint, created_at ${TS} NOT NULL);
   CREATE INDEX turns_conv ON turns (channel, conversation_id, id);
   CREATE INDEX turns_user ON turns (channel, user_id);
   CREATE INDEX turns_created ON turns (created_at);
   CREATE TABLE tickets (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, channel text NOT NULL, conversation_id text NOT NULL,
     user_id text NOT NULL, user_name text, village text, question text NOT NULL, context text NOT NULL,
     passages text NOT NULL, draft_answer text, reason text NOT NULL, topics text NOT NULL,
     status text NOT NULL DEFAULT 'open', staff_member text, answer text, messages text NOT NULL,
     staff_post_ref text, created_at ${TS} NOT NULL, updated_at ${TS} NOT NULL, answered_at ${TS},
     last_reminded_at ${TS});
   CREATE INDEX tickets_conv ON tickets (channel, conversation_id, status);
   CREATE INDEX tickets_user ON tickets (channel, user_id);
   CREATE INDEX tickets_post ON tickets (staff_post_ref);
   CREATE TABLE staff (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE, password_hash text NOT NULL,
     must_change boolean NOT NULL DEFAULT true, created_at ${TS} NOT NULL);
   CREATE TABLE subscriptions (
     channel text NOT NULL, conversation_id text NOT NULL, created_by text, created_at ${TS} NOT NULL,
     PRIMARY KEY (channel, conversation_id));
   CREATE TABLE digest_deliveries (
     digest_key text NOT NULL, channel text NOT NULL, conversation_id text NOT NULL,
     status text NOT NULL, error text, updated_at ${TS} NOT NULL,
     PRIMARY KEY (digest_key, channel, conversation_id));
   CREATE TABLE state (key text PRIMARY KEY, value text NOT NULL);
   CREATE TABLE outbox (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, channel text NOT NULL, conversation_id text NOT NULL,
     text text NOT NULL, created_at ${TS} NOT NULL, delivered_at ${TS});
   CREATE INDEX outbox_conv ON outbox (channel, conversation_id, delivered_at);`,
  `CREATE TABLE invites (
     code text PRIMARY KEY, created_by text NOT NULL, created_at ${TS} NOT NULL, used_by text, used_at ${TS});
   CREATE TABLE members (
     channel text NOT NULL, user_id text NOT NULL, via text NOT NULL, created_at ${TS} NOT NULL,
     PRIMARY KEY (channel, user_id));
   CREATE TABLE job_runs (job text NOT NULL, period text NOT NULL, started_at ${TS} NOT NULL, PRIMARY KEY (job, period));`,
];

/** A digest chat claimed this long ago and still 'sending' belongs to a run that died mid-send. */
const DIGEST_STALE_MS = 10 * 60_000;

const now = () => new Date().toISOString();

/** PostgreSQL text cannot hold U+0000 (SQLite can); the core strips control characters already, this is the last guard. */
const clean = (v: unknown) => (typeof v === "string" && v.includes("\u0000") ? v.replaceAll("\u0000", "") : v);


export interface PostgresStoreOptions {
  /** Connections per instance; several instances share the server's max_connections (default 100). */
  poolSize?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Errors of idle pooled connections (server restart, network); the pool replaces the connection. */
  log?: Logger;
}

/**
 * The Store on PostgreSQL, for several instances sharing one database. Every operation that must happen
 * once across instances (digest claims, job runs, outbox pulls, invite redemption) is a single atomic
 * statement or a transaction with row locks.
 */
export class PostgresStore implements Store {
  private pool: pg.Pool;
  private closed = false;
  private rateTables = new Map<string, Promise<void>>();

  constructor(connectionString: string, opts: PostgresStoreOptions = {}) {
    this.pool = new pg.Pool({
      connectionString,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      // A stuck lock or query must not hold a webhook (or a shutdown) forever; every statement here is short.
      statement_timeout: opts.statementTimeoutMs ?? 30_000,
      application_name: "ortslotse",
    });
    // Without a listener an idle connection dropped by the server would crash the process.
    this.pool.on("error", (err) => {
      if (opts.log) opts.log.warn({ err }, "PostgreSQL connection lost; the pool reconnects on demand");
      else process.emitWarning(`PostgreSQL connection lost: ${err.message}`);
    });
  }

  private async q<R extends pg.QueryResultRow>(what: string, text: string, values: unknown[] = [], client?: pg.PoolClient): Promise<pg.QueryResult<R>> {
    try {
      return await (client ?? this.pool).query<R>(text, values.map(clean));
    } catch (err) {
      throw new StoreError(`PostgreSQL ${what} failed`, { cause: err });
    }
  }

  /** Runs fn in one transaction on one connection; rolls back on any error. */
  private async tx<T>(what: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new StoreError(`PostgreSQL ${what} failed: no connection`, { cause: err });
    }
    try {
      await this.q(what, "BEGIN", [], client);
      const result = await fn(client);
      await this.q(what, "COMMIT", [], client);
      client.release();
      return result;
    } catch (err) {
      // A connection whose rollback failed is broken: release(err) makes the pool discard it.
      const rollbackErr = await client.query("ROLLBACK").then(() => undefined, (e: unknown) => e);
      client.release(rollbackErr instanceof Error ? rollbackErr : undefined);
      throw err instanceof StoreError ? err : new StoreError(`PostgreSQL ${what} failed`, { cause: err });
    }
  }

  async migrate(): Promise<void> {
    await this.tx("migrate", async (c) => {
      // Instances starting together queue here; the second finds the schema current. Keyed by schema,
      // so separate schemas in one database (tests, staging) do not wait for each other.
      await this.q("migrate", `SELECT pg_advisory_xact_lock(hashtext('ortslotse:migrate:' || current_schema()))`, [], c);
      await this.q("migrate", `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at ${TS} NOT NULL)`, [], c);
      const r = await this.q<{ v: number | null }>("migrate", `SELECT max(version) AS v FROM schema_migrations`, [], c);
      const version = r.rows[0]?.v ?? 0;
      if (version > MIGRATIONS.length) {
        throw new StoreError(`database schema version ${version} is newer than this Ortslotse (${MIGRATIONS.length}); update the software`);
      }
      for (let i = version; i < MIGRATIONS.length; i++) {
        await this.q(`migration ${i + 1}`, MIGRATIONS[i], [], c);
        await this.q("migrate", `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, [i + 1, now()], c);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async saveConversation(c: ConversationRecord): Promise<void> {
    await this.q(
      "saveConversation",
      `INSERT INTO conversations (channel, conversation_id, is_group, reference, title, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (channel, conversation_id) DO UPDATE SET is_group=EXCLUDED.is_group,
         reference=COALESCE(EXCLUDED.reference, conversations.reference),
         title=COALESCE(EXCLUDED.title, conversations.title), updated_at=EXCLUDED.updated_at`,
      [c.channel, c.conversationId, c.isGroup, c.reference === undefined ? null : JSON.stringify(c.reference), c.title ?? null, now()],
    );
  }

  async getConversation(channel: ChannelName, conversationId: string): Promise<ConversationRecord | undefined> {
    const res = await this.q<{ channel: string; conversation_id: string; is_group: boolean; reference: string | null; title: string | null }>(
      "getConversation",
      `SELECT channel, conversation_id, is_group, reference, title FROM conversations WHERE channel=$1 AND conversation_id=$2`,
      [channel, conversationId],
    );
    const r = res.rows[0];
    if (!r) return undefined;
    return {
      channel: r.channel as ChannelName,
      conversationId: r.conversation_id,
      isGroup: r.is_group,
      reference: r.reference ? JSON.parse(r.reference) : undefined,
      title: r.title ?? undefined,
    };
  }

  async addTurn(t: TurnInput): Promise<number> {
    const res = await this.q<{ id: string }>(
      "addTurn",
      `INSERT INTO turns (channel, conversation_id, user_id, question, action, answer, confidence, reasons, source_ids, topics, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [t.channel, t.conversationId, t.userId, t.question, t.action, t.answer, t.confidence, JSON.stringify(t.reasons), JSON.stringify(t.sourceIds), JSON.stringify(t.topics), now()],
    );
    return Number(res.rows[0].id);
  }

  async getTurn(id: number): Promise<TurnRecord | undefined> {
    const res = await this.q<TurnRow>("getTurn", `SELECT * FROM turns WHERE id=$1`, [id]);
    return res.rows[0] ? toTurn(res.rows[0]) : undefined;
  }

  async recentTurns(channel: ChannelName, conversationId: string, limit: number): Promise<TurnRecord[]> {
    // LIMIT NULL is LIMIT ALL, like SQLite's negative limit.
    const res = await this.q<TurnRow>(
      "recentTurns",
      `SELECT * FROM turns WHERE channel=$1 AND conversation_id=$2 ORDER BY id DESC LIMIT $3`,
      [channel, conversationId, limit < 0 ? null : limit],
    );
    return res.rows.map(toTurn).reverse();
  }

  async setFeedback(turnId: number, value: 1 | -1): Promise<boolean> {
    // Only the first press counts: a second tap on an old keyboard must not flip statistics.
    const res = await this.q("setFeedback", `UPDATE turns SET feedback=$1 WHERE id=$2 AND feedback IS NULL`, [value, turnId]);
    return (res.rowCount ?? 0) > 0;
  }

  async createTicket(t: TicketInput): Promise<TicketRecord> {
    const at = now();
    const messages: TicketMessage[] = [{ at, from: "mayor", author: t.userName, text: t.question }];
    const res = await this.q<TicketRow>(
      "createTicket",
      `INSERT INTO tickets (channel, conversation_id, user_id, user_name, village, question, context, passages,
         draft_answer, reason, topics, status, messages, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12, $13, $14) RETURNING *`,
      [t.channel, t.conversationId, t.userId, t.userName ?? null, t.village ?? null, t.question, JSON.stringify(t.context), JSON.stringify(t.passages),
        t.draftAnswer ?? null, t.reason, JSON.stringify(t.topics), JSON.stringify(messages), at, at],
    );
    return toTicket(res.rows[0]);
  }

  async getTicket(id: number): Promise<TicketRecord | undefined> {
    const res = await this.q<TicketRow>("getTicket", `SELECT * FROM tickets WHERE id=$1`, [id]);
    return res.rows[0] ? toTicket(res.rows[0]) : undefined;
  }

  async findOpenTicket(channel: ChannelName, conversationId: string, userId?: string): Promise<TicketRecord | undefined> {
    const res = await this.q<TicketRow>(
      "findOpenTicket",
      `SELECT * FROM tickets WHERE channel=$1 AND conversation_id=$2 AND ($3::text IS NULL OR user_id=$3) AND status IN ('open','claimed') ORDER BY id DESC LIMIT 1`,
      [channel, conversationId, userId ?? null],
    );
    return res.rows[0] ? toTicket(res.rows[0]) : undefined;
  }

  async setTicketContact(id: number, contact: { userName: string; village: string }): Promise<void> {
    await this.q("setTicketContact", `UPDATE tickets SET user_name=$1, village=$2, updated_at=$3 WHERE id=$4`, [contact.userName, contact.village, now(), id]);
  }

  /** Appends to the ticket's message list under a row lock, so concurrent appends from two instances both survive. */
  private async appendMessage(what: string, c: pg.PoolClient, id: number, m: TicketMessage): Promise<TicketMessage[] | undefined> {
    const res = await this.q<{ messages: string }>(what, `SELECT messages FROM tickets WHERE id=$1 FOR UPDATE`, [id], c);
    if (!res.rows[0]) return undefined;
    const msgs = JSON.parse(res.rows[0].messages) as TicketMessage[];
    msgs.push(m);
    return msgs;
  }

  async addTicketMessage(id: number, m: Omit<TicketMessage, "at">): Promise<void> {
    await this.tx("addTicketMessage", async (c) => {
      const msgs = await this.appendMessage("addTicketMessage", c, id, { at: now(), ...m });
      if (!msgs) return;
      await this.q("addTicketMessage", `UPDATE tickets SET messages=$1, updated_at=$2 WHERE id=$3`, [JSON.stringify(msgs), now(), id], c);
    });
  }

  async listTickets(filter: { status?: TicketStatus[]; limit?: number; offset?: number; oldestFirst?: boolean } = {}): Promise<TicketRecord[]> {
    const status = filter.status ?? ["open", "claimed", "answered", "closed"];
    const res = await this.q<TicketRow>(
      "listTickets",
      `SELECT * FROM tickets WHERE status = ANY($1::text[]) ORDER BY id ${filter.oldestFirst ? "ASC" : "DESC"} LIMIT $2 OFFSET $3`,
      [status, filter.limit ?? 500, filter.offset ?? 0],
    );
    return res.rows.map(toTicket);
  }

  async countOpenTickets(channel: ChannelName, userId: string): Promise<number> {
    const res = await this.q<{ n: string }>("countOpenTickets", `SELECT COUNT(*) AS n FROM tickets WHERE channel=$1 AND user_id=$2 AND status IN ('open','claimed')`, [channel, userId]);
    return Number(res.rows[0]?.n ?? 0);
  }

  async countTickets(): Promise<Record<TicketStatus, number>> {
    const res = await this.q<{ status: TicketStatus; n: string }>("countTickets", `SELECT status, COUNT(*) AS n FROM tickets GROUP BY status`, []);
    const out: Record<TicketStatus, number> = { open: 0, claimed: 0, answered: 0, closed: 0 };
    for (const r of res.rows) out[r.status] = Number(r.n);
    return out;
  }

  async claimTicket(id: number, staffMember: string): Promise<TicketRecord | undefined> {
    await this.q("claimTicket", `UPDATE tickets SET status='claimed', staff_member=$1, updated_at=$2 WHERE id=$3 AND status='open'`, [staffMember, now(), id]);
    return this.getTicket(id);
  }

  async answerTicket(id: number, staffMember: string, answer: string): Promise<TicketRecord | undefined> {
    const at = now();
    await this.tx("answerTicket", async (c) => {
      const msgs = await this.appendMessage("answerTicket", c, id, { at, from: "staff", author: staffMember, text: answer });
      if (!msgs) return;
      await this.q(
        "answerTicket",
        `UPDATE tickets SET status='answered', staff_member=$1, answer=$2, messages=$3, answered_at=$4, updated_at=$5 WHERE id=$6`,
        [staffMember, answer, JSON.stringify(msgs), at, at, id],
        c,
      );
    });
    return this.getTicket(id);
  }

  async closeTicket(id: number, staffMember: string): Promise<TicketRecord | undefined> {
    await this.q("closeTicket", `UPDATE tickets SET status='closed', staff_member=COALESCE(staff_member, $1), updated_at=$2 WHERE id=$3`, [staffMember, now(), id]);
    return this.getTicket(id);
  }

  async setTicketStaffPost(id: number, ref: string): Promise<void> {
    await this.q("setTicketStaffPost", `UPDATE tickets SET staff_post_ref=$1 WHERE id=$2`, [ref, id]);
  }

  async findTicketByStaffPost(ref: string): Promise<TicketRecord | undefined> {
    const res = await this.q<TicketRow>("findTicketByStaffPost", `SELECT * FROM tickets WHERE staff_post_ref=$1 ORDER BY id DESC LIMIT 1`, [ref]);
    return res.rows[0] ? toTicket(res.rows[0]) : undefined;
  }

  async ticketsToRemind(olderThanIso: string, remindedBeforeIso: string): Promise<TicketRecord[]> {
    const res = await this.q<TicketRow>(
      "ticketsToRemind",
      `SELECT * FROM tickets WHERE status IN ('open','claimed') AND created_at < $1
         AND (last_reminded_at IS NULL OR last_reminded_at < $2) ORDER BY id`,
      [olderThanIso, remindedBeforeIso],
    );
    return res.rows.map(toTicket);
  }

  async markReminded(id: number, atIso: string): Promise<void> {
    await this.q("markReminded", `UPDATE tickets SET last_reminded_at=$1 WHERE id=$2`, [atIso, id]);
  }

  async addStaff(name: string, passwordHash: string): Promise<StaffAccount> {
    await this.q(
      "addStaff",
      `INSERT INTO staff (name, password_hash, must_change, created_at) VALUES ($1, $2, true, $3)
       ON CONFLICT (name) DO UPDATE SET password_hash=EXCLUDED.password_hash, must_change=true`,
      [name, passwordHash, now()],
    );
    return (await this.getStaffByName(name))!;
  }

  async getStaffByName(name: string): Promise<StaffAccount | undefined> {
    const res = await this.q<{ id: string; name: string; password_hash: string; must_change: boolean; created_at: string }>(
      "getStaffByName",
      `SELECT * FROM staff WHERE name=$1`,
      [name],
    );
    const r = res.rows[0];
    return r ? { id: Number(r.id), name: r.name, passwordHash: r.password_hash, mustChangePassword: r.must_change, createdAt: r.created_at } : undefined;
  }

  async setStaffPassword(name: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await this.q("setStaffPassword", `UPDATE staff SET password_hash=$1, must_change=$2 WHERE name=$3`, [passwordHash, mustChange, name]);
  }

  async subscribe(s: Omit<Subscription, "createdAt">): Promise<boolean> {
    const res = await this.q(
      "subscribe",
      `INSERT INTO subscriptions (channel, conversation_id, created_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [s.channel, s.conversationId, s.createdBy ?? null, now()],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async unsubscribe(channel: ChannelName, conversationId: string): Promise<boolean> {
    const res = await this.q("unsubscribe", `DELETE FROM subscriptions WHERE channel=$1 AND conversation_id=$2`, [channel, conversationId]);
    return (res.rowCount ?? 0) > 0;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    const res = await this.q<{ channel: string; conversation_id: string; created_by: string | null; created_at: string }>(
      "listSubscriptions",
      `SELECT * FROM subscriptions ORDER BY created_at`,
    );
    return res.rows.map((r) => ({ channel: r.channel as ChannelName, conversationId: r.conversation_id, createdBy: r.created_by ?? undefined, createdAt: r.created_at }));
  }

  async isSubscribed(channel: ChannelName, conversationId: string): Promise<boolean> {
    const res = await this.q("isSubscribed", `SELECT 1 FROM subscriptions WHERE channel=$1 AND conversation_id=$2`, [channel, conversationId]);
    return res.rows.length > 0;
  }

  async claimDigestDelivery(digestKey: string, channel: ChannelName, conversationId: string): Promise<boolean> {
    // One statement, so concurrent callers (other instances) serialise on the row: the loser re-checks the
    // WHERE against the winner's fresh 'sending' row and gets no row back. A chat is claimable when it has
    // no row, failed before, or is 'sending' for longer than 10 minutes (that run died mid-send); 'sent' never.
    const at = now();
    const staleBefore = new Date(Date.parse(at) - DIGEST_STALE_MS).toISOString();
    const res = await this.q(
      "claimDigestDelivery",
      `INSERT INTO digest_deliveries (digest_key, channel, conversation_id, status, updated_at) VALUES ($1, $2, $3, 'sending', $4)
       ON CONFLICT (digest_key, channel, conversation_id) DO UPDATE SET status='sending', updated_at=EXCLUDED.updated_at
         WHERE digest_deliveries.status NOT IN ('sent', 'sending')
            OR (digest_deliveries.status = 'sending' AND digest_deliveries.updated_at < $5)
       RETURNING 1`,
      [digestKey, channel, conversationId, at, staleBefore],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async markDigestDelivered(digestKey: string, channel: ChannelName, conversationId: string, ok: boolean, error?: string): Promise<void> {
    await this.q(
      "markDigestDelivered",
      `UPDATE digest_deliveries SET status=$1, error=$2, updated_at=$3 WHERE digest_key=$4 AND channel=$5 AND conversation_id=$6`,
      [ok ? "sent" : "failed", error ?? null, now(), digestKey, channel, conversationId],
    );
  }

  async digestDeliveries(digestKey: string): Promise<{ channel: ChannelName; conversationId: string; status: string }[]> {
    const res = await this.q<{ channel: string; conversation_id: string; status: string }>(
      "digestDeliveries",
      `SELECT channel, conversation_id, status FROM digest_deliveries WHERE digest_key=$1`,
      [digestKey],
    );
    return res.rows.map((r) => ({ channel: r.channel as ChannelName, conversationId: r.conversation_id, status: r.status }));
  }

  async claimJobRun(job: string, period: string): Promise<boolean> {
    const res = await this.q("claimJobRun", `INSERT INTO job_runs (job, period, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [job, period, now()]);
    return (res.rowCount ?? 0) > 0;
  }

  async getState(key: string): Promise<string | undefined> {
    const res = await this.q<{ value: string }>("getState", `SELECT value FROM state WHERE key=$1`, [key]);
    return res.rows[0]?.value;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.q("setState", `INSERT INTO state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value=EXCLUDED.value`, [key, value]);
  }

  async updateState(key: string, change: (current: string | undefined) => string | undefined): Promise<string | undefined> {
    return this.tx("updateState", async (c) => {
      // A row lock cannot cover an entry that does not exist yet; an advisory lock on the key can.
      await this.q("updateState", `SELECT pg_advisory_xact_lock(hashtext($1))`, [key], c);
      const res = await this.q<{ value: string }>("updateState", `SELECT value FROM state WHERE key=$1`, [key], c);
      const current = res.rows[0]?.value;
      const next = change(current);
      if (next === current) return next;
      if (next === undefined) await this.q("updateState", `DELETE FROM state WHERE key=$1`, [key], c);
      else await this.q("updateState", `INSERT INTO state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value=EXCLUDED.value`, [key, next], c);
      return next;
    });
  }

  async deleteState(key: string): Promise<void> {
    await this.q("deleteState", `DELETE FROM state WHERE key=$1`, [key]);
  }

  async listState(prefix: string): Promise<{ key: string; value: string }[]> {
    const res = await this.q<{ key: string; value: string }>("listState", `SELECT key, value FROM state WHERE left(key, $1) = $2 ORDER BY key`, [prefix.length, prefix]);
    return res.rows;
  }

  async pushOutbox(channel: ChannelName, conversationId: string, text: string): Promise<void> {
    await this.q("pushOutbox", `INSERT INTO outbox (channel, conversation_id, text, created_at) VALUES ($1, $2, $3, $4)`, [channel, conversationId, text, now()]);
  }

  async pullOutbox(channel: ChannelName, conversationId: string): Promise<{ id: number; text: string; createdAt: string }[]> {
    // Select-and-mark in one statement: two polls racing on different instances never both get a message.
    const res = await this.q<{ id: string; text: string; created_at: string }>(
      "pullOutbox",
      `UPDATE outbox SET delivered_at=$1
       WHERE id IN (SELECT id FROM outbox WHERE channel=$2 AND conversation_id=$3 AND delivered_at IS NULL FOR UPDATE SKIP LOCKED)
       RETURNING id, text, created_at`,
      [now(), channel, conversationId],
    );
    return res.rows.map((r) => ({ id: Number(r.id), text: r.text, createdAt: r.created_at })).sort((a, b) => a.id - b.id);
  }

  /**
   * Creates a limiter's table once, under an advisory lock: PostgreSQL's CREATE TABLE IF NOT EXISTS is not
   * safe against a concurrent twin (duplicate pg_type key), which is what two instances starting together do.
   */
  private ensureRateTable(table: string): Promise<void> {
    let ready = this.rateTables.get(table);
    if (!ready) {
      ready = this.tx("create rate limiter table", async (c) => {
        await this.q("create rate limiter table", `SELECT pg_advisory_xact_lock(hashtext('ortslotse:rate:' || current_schema() || ':' || $1))`, [table], c);
        // The column layout RateLimiterPostgres expects (key, points, expire), with text keys of any length.
        await this.q("create rate limiter table", `CREATE TABLE IF NOT EXISTS "${table}" (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`, [], c);
      });
      this.rateTables.set(table, ready);
      // Forget a failed attempt so the next allow() tries again; that caller receives the error.
      ready.catch(() => this.rateTables.delete(table));
    }
    return ready;
  }

  rateLimiter(name: string, points: number, durationSec: number): RateLimiter {
    const table = `rate_${name.replace(/\W/g, "_")}`.toLowerCase();
    // Created now, when the limiter is set up at start-up, rather than by the library in the background.
    this.ensureRateTable(table).catch(() => undefined /* reported to the first allow() */);
    const limiter = new RateLimiterPostgres({
      storeClient: this.pool, storeType: "pool", tableName: table, tableCreated: true,
      points, duration: durationSec, clearExpiredByTimeout: false,
    });
    return limiterFrom(limiter, () => this.ensureRateTable(table));
  }

  async createInvite(code: string, createdBy: string): Promise<void> {
    await this.q("createInvite", `INSERT INTO invites (code, created_by, created_at) VALUES ($1, $2, $3)`, [code, createdBy, now()]);
  }

  async redeemInvite(code: string, channel: ChannelName, userId: string): Promise<boolean> {
    return this.tx("redeemInvite", async (c) => {
      const res = await this.q("redeemInvite", `UPDATE invites SET used_by=$1, used_at=$2 WHERE code=$3 AND used_by IS NULL`, [`${channel}:${userId}`, now(), code], c);
      if ((res.rowCount ?? 0) === 0) return false;
      await this.q(
        "redeemInvite",
        `INSERT INTO members (channel, user_id, via, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [channel, userId, `invite:${code.slice(0, 4)}…`, now()],
        c,
      );
      return true;
    });
  }

  async listInvites(): Promise<Invite[]> {
    const res = await this.q<{ code: string; created_by: string; created_at: string; used_by: string | null; used_at: string | null }>(
      "listInvites",
      `SELECT * FROM invites ORDER BY created_at DESC`,
    );
    return res.rows.map((r) => ({ code: r.code, createdBy: r.created_by, createdAt: r.created_at, usedBy: r.used_by ?? undefined, usedAt: r.used_at ?? undefined }));
  }

  async addMember(channel: ChannelName, userId: string, via: string): Promise<void> {
    await this.q("addMember", `INSERT INTO members (channel, user_id, via, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [channel, userId, via, now()]);
  }

  async isMember(channel: ChannelName, userId: string): Promise<boolean> {
    const res = await this.q("isMember", `SELECT 1 FROM members WHERE channel=$1 AND user_id=$2`, [channel, userId]);
    return res.rows.length > 0;
  }

  async weeklyStats(weeks: number): Promise<WeeklyStats[]> {
    const since = new Date(Date.now() - weeks * 7 * 86400000).toISOString();
    const res = await this.q<{ action: string; feedback: number | null; created_at: string }>(
      "weeklyStats",
      `SELECT action, feedback, created_at FROM turns WHERE created_at >= $1`,
      [since],
    );
    return weeklyFromRows(res.rows, isoWeek);
  }

  async topicCounts(sinceIso: string, filter: "handover" | "thumbs_down" | "all") {
    const where =
      filter === "handover" ? `AND action='handover'` : filter === "thumbs_down" ? `AND feedback=-1` : `AND action IN ('answer','handover')`;
    const res = await this.q<{ topics: string; question: string }>(
      "topicCounts",
      `SELECT topics, question FROM turns WHERE created_at >= $1 ${where} ORDER BY id DESC`,
      [sinceIso],
    );
    return topicsFromRows(res.rows);
  }

  async sourceUsage(sinceIso: string) {
    const res = await this.q<{ source_ids: string }>("sourceUsage", `SELECT source_ids FROM turns WHERE created_at >= $1 AND action='answer'`, [sinceIso]);
    return usageFromRows(res.rows);
  }

  async exportUserData(channel: ChannelName, userId: string) {
    const turns = await this.q<TurnRow>("exportUserData", `SELECT * FROM turns WHERE channel=$1 AND user_id=$2 ORDER BY id`, [channel, userId]);
    const tickets = await this.q<TicketRow>("exportUserData", `SELECT * FROM tickets WHERE channel=$1 AND user_id=$2 ORDER BY id`, [channel, userId]);
    return { turns: turns.rows.map(toTurn), tickets: tickets.rows.map(toTicket) };
  }

  async deleteUserData(channel: ChannelName, userId: string): Promise<number> {
    return this.tx("deleteUserData", async (c) => {
      const a = await this.q("deleteUserData", `DELETE FROM turns WHERE channel=$1 AND user_id=$2`, [channel, userId], c);
      const b = await this.q("deleteUserData", `DELETE FROM tickets WHERE channel=$1 AND user_id=$2`, [channel, userId], c);
      // The person's private chat (its id equals the user id in Telegram and the web chat): address, outbox, digest.
      for (const t of ["conversations", "outbox", "subscriptions"]) {
        await this.q("deleteUserData", `DELETE FROM ${t} WHERE channel=$1 AND conversation_id=$2`, [channel, userId], c);
      }
      return (a.rowCount ?? 0) + (b.rowCount ?? 0);
    });
  }

  async purgeOlderThan(iso: string): Promise<number> {
    const n = await this.tx("purgeOlderThan", async (c) => {
      let total = 0;
      for (const sql of PURGE_SQL) total += (await this.q("purgeOlderThan", sql, [iso], c)).rowCount ?? 0;
      return total;
    });
    // PostgreSQL keeps deleted rows in its files until VACUUM reclaims them; run it now for the purged tables.
    if (n > 0) await this.q("purgeOlderThan", `VACUUM turns, tickets, outbox, conversations, members, digest_deliveries`);
    return n;
  }

  async expireStaleTickets(iso: string): Promise<TicketRecord[]> {
    return this.tx("expireStaleTickets", async (c) => {
      const ids = (await this.q<{ id: number }>("expireStaleTickets", `SELECT id FROM tickets WHERE status<>'closed' AND updated_at < $1 FOR UPDATE`, [iso], c)).rows.map((r) => Number(r.id));
      const out: TicketRecord[] = [];
      for (const id of ids) {
        await this.q("expireStaleTickets", EXPIRE_TICKET_SQL, [now(), id], c);
        out.push(toTicket((await this.q<TicketRow>("expireStaleTickets", `SELECT * FROM tickets WHERE id=$1`, [id], c)).rows[0]));
      }
      return out;
    });
  }

}
