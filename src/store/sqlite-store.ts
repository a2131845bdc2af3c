import Database from "better-sqlite3";
import { RateLimiterSQLite } from "rate-limiter-flexible";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { ChannelName } from "../core/types.js";
import type {
  ConversationRecord,
  StaffAccount,
  Store,
  Subscription,
  Invite,
  RateLimiter,
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

/** Ordered migrations; PRAGMA user_version records how many ran. Never edit one that shipped: append. */
const MIGRATIONS: string[] = [
  `CREATE TABLE conversations (
     channel TEXT NOT NULL, conversation_id TEXT NOT NULL, is_group INTEGER NOT NULL DEFAULT 0,
     reference TEXT, title TEXT, updated_at TEXT NOT NULL,
     PRIMARY KEY (channel, conversation_id));
   CREATE TABLE turns (
     id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, conversation_id TEXT NOT NULL,
     user_id TEXT NOT NULL, question TEXT NOT NULL, action TEXT NOT NULL, answer TEXT NOT NULL,
     confidence REAL NOT NULL, reasons TEXT NOT NULL, source_ids TEXT NOT NULL, topics TEXT NOT NULL,
     feedback INTEGER, created_at TEXT NOT NULL);
   CREATE INDEX turns_conv ON turns(channel, conversation_id, id);
   CREATE INDEX turns_created ON turns(created_at);
   CREATE TABLE tickets (
     id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, conversation_id TEXT NOT NULL,
     user_id TEXT NOT NULL, user_name TEXT, village TEXT, question TEXT NOT NULL, context TEXT NOT NULL,
     passages TEXT NOT NULL, draft_answer TEXT, reason TEXT NOT NULL, topics TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'open', staff_member TEXT, answer TEXT, messages TEXT NOT NULL,
     staff_post_ref TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, answered_at TEXT,
     last_reminded_at TEXT);
   CREATE INDEX tickets_conv ON tickets(channel, conversation_id, status);
   CREATE INDEX tickets_post ON tickets(staff_post_ref);
   CREATE TABLE staff (
     id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
     must_change INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL);
   CREATE TABLE subscriptions (
     channel TEXT NOT NULL, conversation_id TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL,
     PRIMARY KEY (channel, conversation_id));
   CREATE TABLE digest_deliveries (
     digest_key TEXT NOT NULL, channel TEXT NOT NULL, conversation_id TEXT NOT NULL,
     status TEXT NOT NULL, error TEXT, updated_at TEXT NOT NULL,
     PRIMARY KEY (digest_key, channel, conversation_id));
   CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, conversation_id TEXT NOT NULL,
     text TEXT NOT NULL, created_at TEXT NOT NULL, delivered_at TEXT);
   CREATE INDEX outbox_conv ON outbox(channel, conversation_id, delivered_at);`,
  `CREATE TABLE invites (
     code TEXT PRIMARY KEY, created_by TEXT NOT NULL, created_at TEXT NOT NULL, used_by TEXT, used_at TEXT);
   CREATE TABLE members (
     channel TEXT NOT NULL, user_id TEXT NOT NULL, via TEXT NOT NULL, created_at TEXT NOT NULL,
     PRIMARY KEY (channel, user_id));
   CREATE TABLE job_runs (job TEXT NOT NULL, period TEXT NOT NULL, started_at TEXT NOT NULL, PRIMARY KEY (job, period));`,
];

const now = () => new Date().toISOString();


/** ISO week key like 2026-W48, computed in UTC (staff statistics need no time-zone precision). */
export function isoWeek(iso: string): string {
  const d = new Date(iso);
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((t.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export class SqliteStore implements Store {
  private db: Database.Database;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    try {
      this.db = new Database(file);
      // WAL + synchronous NORMAL: a kill -9 loses no committed transaction, and readers never block the writer.
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("busy_timeout = 5000");
      this.db.pragma("foreign_keys = ON");
      // Deleted rows are overwritten with zeros, so purged or deleted data cannot be read from the file.
      this.db.pragma("secure_delete = ON");
    } catch (err) {
      throw new StoreError(`cannot open SQLite database at ${file}`, { cause: err });
    }
  }

  private run<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw new StoreError(`SQLite ${what} failed`, { cause: err });
    }
  }

  async migrate(): Promise<void> {
    this.run("migrate", () => {
      const version = this.db.pragma("user_version", { simple: true }) as number;
      for (let i = version; i < MIGRATIONS.length; i++) {
        this.db.transaction(() => {
          this.db.exec(MIGRATIONS[i]);
          this.db.pragma(`user_version = ${i + 1}`);
        })();
      }
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async saveConversation(c: ConversationRecord): Promise<void> {
    this.run("saveConversation", () =>
      this.db
        .prepare(
          `INSERT INTO conversations (channel, conversation_id, is_group, reference, title, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(channel, conversation_id) DO UPDATE SET is_group=excluded.is_group,
             reference=COALESCE(excluded.reference, conversations.reference),
             title=COALESCE(excluded.title, conversations.title), updated_at=excluded.updated_at`,
        )
        .run(c.channel, c.conversationId, c.isGroup ? 1 : 0, c.reference === undefined ? null : JSON.stringify(c.reference), c.title ?? null, now()),
    );
  }

  async getConversation(channel: ChannelName, conversationId: string): Promise<ConversationRecord | undefined> {
    const r = this.run("getConversation", () =>
      this.db.prepare(`SELECT * FROM conversations WHERE channel=? AND conversation_id=?`).get(channel, conversationId),
    ) as { channel: string; conversation_id: string; is_group: number; reference: string | null; title: string | null } | undefined;
    if (!r) return undefined;
    return {
      channel: r.channel as ChannelName,
      conversationId: r.conversation_id,
      isGroup: r.is_group === 1,
      reference: r.reference ? JSON.parse(r.reference) : undefined,
      title: r.title ?? undefined,
    };
  }

  async addTurn(t: TurnInput): Promise<number> {
    return this.run("addTurn", () =>
      Number(
        this.db
          .prepare(
            `INSERT INTO turns (channel, conversation_id, user_id, question, action, answer, confidence, reasons, source_ids, topics, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(t.channel, t.conversationId, t.userId, t.question, t.action, t.answer, t.confidence, JSON.stringify(t.reasons), JSON.stringify(t.sourceIds), JSON.stringify(t.topics), now())
          .lastInsertRowid,
      ),
    );
  }

  async getTurn(id: number): Promise<TurnRecord | undefined> {
    const r = this.run("getTurn", () => this.db.prepare(`SELECT * FROM turns WHERE id=?`).get(id)) as TurnRow | undefined;
    return r ? toTurn(r) : undefined;
  }

  async recentTurns(channel: ChannelName, conversationId: string, limit: number): Promise<TurnRecord[]> {
    const rows = this.run("recentTurns", () =>
      this.db
        .prepare(`SELECT * FROM turns WHERE channel=? AND conversation_id=? ORDER BY id DESC LIMIT ?`)
        .all(channel, conversationId, limit),
    ) as TurnRow[];
    return rows.map(toTurn).reverse();
  }

  async setFeedback(turnId: number, value: 1 | -1): Promise<boolean> {
    // Only the first press counts: a second tap on an old keyboard must not flip statistics.
    const res = this.run("setFeedback", () =>
      this.db.prepare(`UPDATE turns SET feedback=? WHERE id=? AND feedback IS NULL`).run(value, turnId),
    );
    return res.changes > 0;
  }

  async createTicket(t: TicketInput): Promise<TicketRecord> {
    const at = now();
    const messages: TicketMessage[] = [{ at, from: "mayor", author: t.userName, text: t.question }];
    const id = this.run("createTicket", () =>
      Number(
        this.db
          .prepare(
            `INSERT INTO tickets (channel, conversation_id, user_id, user_name, village, question, context, passages,
               draft_answer, reason, topics, status, messages, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
          )
          .run(t.channel, t.conversationId, t.userId, t.userName ?? null, t.village ?? null, t.question, JSON.stringify(t.context), JSON.stringify(t.passages), t.draftAnswer ?? null, t.reason, JSON.stringify(t.topics), JSON.stringify(messages), at, at)
          .lastInsertRowid,
      ),
    );
    return (await this.getTicket(id))!;
  }

  async getTicket(id: number): Promise<TicketRecord | undefined> {
    const r = this.run("getTicket", () => this.db.prepare(`SELECT * FROM tickets WHERE id=?`).get(id)) as TicketRow | undefined;
    return r ? toTicket(r) : undefined;
  }

  async findOpenTicket(channel: ChannelName, conversationId: string, userId?: string): Promise<TicketRecord | undefined> {
    const r = this.run("findOpenTicket", () =>
      this.db
        .prepare(`SELECT * FROM tickets WHERE channel=? AND conversation_id=? AND (? IS NULL OR user_id=?) AND status IN ('open','claimed') ORDER BY id DESC LIMIT 1`)
        .get(channel, conversationId, userId ?? null, userId ?? null),
    ) as TicketRow | undefined;
    return r ? toTicket(r) : undefined;
  }

  async setTicketContact(id: number, contact: { userName: string; village: string }): Promise<void> {
    this.run("setTicketContact", () =>
      this.db.prepare(`UPDATE tickets SET user_name=?, village=?, updated_at=? WHERE id=?`).run(contact.userName, contact.village, now(), id),
    );
  }

  async addTicketMessage(id: number, m: Omit<TicketMessage, "at">): Promise<void> {
    this.run("addTicketMessage", () =>
      this.db.transaction(() => {
        const r = this.db.prepare(`SELECT messages FROM tickets WHERE id=?`).get(id) as { messages: string } | undefined;
        if (!r) return;
        const msgs = JSON.parse(r.messages) as TicketMessage[];
        msgs.push({ at: now(), ...m });
        this.db.prepare(`UPDATE tickets SET messages=?, updated_at=? WHERE id=?`).run(JSON.stringify(msgs), now(), id);
      })(),
    );
  }

  async listTickets(filter: { status?: TicketStatus[]; limit?: number; offset?: number; oldestFirst?: boolean } = {}): Promise<TicketRecord[]> {
    const status = filter.status ?? ["open", "claimed", "answered", "closed"];
    const rows = this.run("listTickets", () =>
      this.db
        .prepare(`SELECT * FROM tickets WHERE status IN (${status.map(() => "?").join(",")}) ORDER BY id ${filter.oldestFirst ? "ASC" : "DESC"} LIMIT ? OFFSET ?`)
        .all(...status, filter.limit ?? 500, filter.offset ?? 0),
    ) as TicketRow[];
    return rows.map(toTicket);
  }

  async countOpenTickets(channel: ChannelName, userId: string): Promise<number> {
    const r = this.run("countOpenTickets", () =>
      this.db.prepare(`SELECT COUNT(*) AS n FROM tickets WHERE channel=? AND user_id=? AND status IN ('open','claimed')`).get(channel, userId),
    ) as { n: number };
    return Number(r.n);
  }

  async countTickets(): Promise<Record<TicketStatus, number>> {
    const rows = this.run("countTickets", () => this.db.prepare(`SELECT status, COUNT(*) AS n FROM tickets GROUP BY status`).all()) as { status: TicketStatus; n: number }[];
    const out: Record<TicketStatus, number> = { open: 0, claimed: 0, answered: 0, closed: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  async claimTicket(id: number, staffMember: string): Promise<TicketRecord | undefined> {
    this.run("claimTicket", () =>
      this.db.prepare(`UPDATE tickets SET status='claimed', staff_member=?, updated_at=? WHERE id=? AND status='open'`).run(staffMember, now(), id),
    );
    return this.getTicket(id);
  }

  async answerTicket(id: number, staffMember: string, answer: string): Promise<TicketRecord | undefined> {
    const at = now();
    this.run("answerTicket", () =>
      this.db.transaction(() => {
        const r = this.db.prepare(`SELECT messages FROM tickets WHERE id=?`).get(id) as { messages: string } | undefined;
        if (!r) return;
        const msgs = JSON.parse(r.messages) as TicketMessage[];
        msgs.push({ at, from: "staff", author: staffMember, text: answer });
        this.db
          .prepare(`UPDATE tickets SET status='answered', staff_member=?, answer=?, messages=?, answered_at=?, updated_at=? WHERE id=?`)
          .run(staffMember, answer, JSON.stringify(msgs), at, at, id);
      })(),
    );
    return this.getTicket(id);
  }

  async closeTicket(id: number, staffMember: string): Promise<TicketRecord | undefined> {
    this.run("closeTicket", () =>
      this.db
        .prepare(`UPDATE tickets SET status='closed', staff_member=COALESCE(staff_member, ?), updated_at=? WHERE id=?`)
        .run(staffMember, now(), id),
    );
    return this.getTicket(id);
  }

  async setTicketStaffPost(id: number, ref: string): Promise<void> {
    this.run("setTicketStaffPost", () => this.db.prepare(`UPDATE tickets SET staff_post_ref=? WHERE id=?`).run(ref, id));
  }

  async findTicketByStaffPost(ref: string): Promise<TicketRecord | undefined> {
    const r = this.run("findTicketByStaffPost", () =>
      this.db.prepare(`SELECT * FROM tickets WHERE staff_post_ref=? ORDER BY id DESC LIMIT 1`).get(ref),
    ) as TicketRow | undefined;
    return r ? toTicket(r) : undefined;
  }

  async ticketsToRemind(olderThanIso: string, remindedBeforeIso: string): Promise<TicketRecord[]> {
    const rows = this.run("ticketsToRemind", () =>
      this.db
        .prepare(
          `SELECT * FROM tickets WHERE status IN ('open','claimed') AND created_at < ?
             AND (last_reminded_at IS NULL OR last_reminded_at < ?) ORDER BY id`,
        )
        .all(olderThanIso, remindedBeforeIso),
    ) as TicketRow[];
    return rows.map(toTicket);
  }

  async markReminded(id: number, atIso: string): Promise<void> {
    this.run("markReminded", () => this.db.prepare(`UPDATE tickets SET last_reminded_at=? WHERE id=?`).run(atIso, id));
  }

  async addStaff(name: string, passwordHash: string): Promise<StaffAccount> {
    this.run("addStaff", () =>
      this.db
        .prepare(`INSERT INTO staff (name, password_hash, must_change, created_at) VALUES (?, ?, 1, ?)
                  ON CONFLICT(name) DO UPDATE SET password_hash=excluded.password_hash, must_change=1`)
        .run(name, passwordHash, now()),
    );
    return (await this.getStaffByName(name))!;
  }

  async getStaffByName(name: string): Promise<StaffAccount | undefined> {
    const r = this.run("getStaffByName", () => this.db.prepare(`SELECT * FROM staff WHERE name=?`).get(name)) as
      | { id: number; name: string; password_hash: string; must_change: number; created_at: string }
      | undefined;
    return r
      ? { id: r.id, name: r.name, passwordHash: r.password_hash, mustChangePassword: r.must_change === 1, createdAt: r.created_at }
      : undefined;
  }

  async setStaffPassword(name: string, passwordHash: string, mustChange: boolean): Promise<void> {
    this.run("setStaffPassword", () =>
      this.db.prepare(`UPDATE staff SET password_hash=?, must_change=? WHERE name=?`).run(passwordHash, mustChange ? 1 : 0, name),
    );
  }

  async subscribe(s: Omit<Subscription, "createdAt">): Promise<boolean> {
    const res = this.run("subscribe", () =>
      this.db
        .prepare(`INSERT OR IGNORE INTO subscriptions (channel, conversation_id, created_by, created_at) VALUES (?, ?, ?, ?)`)
        .run(s.channel, s.conversationId, s.createdBy ?? null, now()),
    );
    return res.changes > 0;
  }

  async unsubscribe(channel: ChannelName, conversationId: string): Promise<boolean> {
    const res = this.run("unsubscribe", () =>
      this.db.prepare(`DELETE FROM subscriptions WHERE channel=? AND conversation_id=?`).run(channel, conversationId),
    );
    return res.changes > 0;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    const rows = this.run("listSubscriptions", () => this.db.prepare(`SELECT * FROM subscriptions ORDER BY created_at`).all()) as {
      channel: string; conversation_id: string; created_by: string | null; created_at: string;
    }[];
    return rows.map((r) => ({ channel: r.channel as ChannelName, conversationId: r.conversation_id, createdBy: r.created_by ?? undefined, createdAt: r.created_at }));
  }

  async isSubscribed(channel: ChannelName, conversationId: string): Promise<boolean> {
    return Boolean(
      this.run("isSubscribed", () => this.db.prepare(`SELECT 1 FROM subscriptions WHERE channel=? AND conversation_id=?`).get(channel, conversationId)),
    );
  }

  async claimDigestDelivery(digestKey: string, channel: ChannelName, conversationId: string): Promise<boolean> {
    // A 'sending' row older than 10 minutes belongs to a run that died mid-send: it may be retried.
    return this.run("claimDigestDelivery", () =>
      this.db.transaction(() => {
        const r = this.db
          .prepare(`SELECT status, updated_at FROM digest_deliveries WHERE digest_key=? AND channel=? AND conversation_id=?`)
          .get(digestKey, channel, conversationId) as { status: string; updated_at: string } | undefined;
        const stale = r && r.status !== "sent" && Date.parse(r.updated_at) < Date.now() - 10 * 60_000;
        if (r && r.status === "sent") return false;
        if (r && r.status === "sending" && !stale) return false;
        this.db
          .prepare(
            `INSERT INTO digest_deliveries (digest_key, channel, conversation_id, status, updated_at) VALUES (?, ?, ?, 'sending', ?)
             ON CONFLICT(digest_key, channel, conversation_id) DO UPDATE SET status='sending', updated_at=excluded.updated_at`,
          )
          .run(digestKey, channel, conversationId, now());
        return true;
      }).immediate(),
    );
  }

  async markDigestDelivered(digestKey: string, channel: ChannelName, conversationId: string, ok: boolean, error?: string): Promise<void> {
    this.run("markDigestDelivered", () =>
      this.db
        .prepare(`UPDATE digest_deliveries SET status=?, error=?, updated_at=? WHERE digest_key=? AND channel=? AND conversation_id=?`)
        .run(ok ? "sent" : "failed", error ?? null, now(), digestKey, channel, conversationId),
    );
  }

  async digestDeliveries(digestKey: string): Promise<{ channel: ChannelName; conversationId: string; status: string }[]> {
    const rows = this.run("digestDeliveries", () =>
      this.db.prepare(`SELECT channel, conversation_id, status FROM digest_deliveries WHERE digest_key=?`).all(digestKey),
    ) as { channel: string; conversation_id: string; status: string }[];
    return rows.map((r) => ({ channel: r.channel as ChannelName, conversationId: r.conversation_id, status: r.status }));
  }

  async claimJobRun(job: string, period: string): Promise<boolean> {
    const res = this.run("claimJobRun", () =>
      this.db.prepare(`INSERT OR IGNORE INTO job_runs (job, period, started_at) VALUES (?, ?, ?)`).run(job, period, now()),
    );
    return res.changes > 0;
  }

  async getState(key: string): Promise<string | undefined> {
    const r = this.run("getState", () => this.db.prepare(`SELECT value FROM state WHERE key=?`).get(key)) as { value: string } | undefined;
    return r?.value;
  }

  async setState(key: string, value: string): Promise<void> {
    this.run("setState", () =>
      this.db.prepare(`INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`).run(key, value),
    );
  }

  async updateState(key: string, change: (current: string | undefined) => string | undefined): Promise<string | undefined> {
    return this.run("updateState", () =>
      // IMMEDIATE takes the write lock before reading, so another process cannot change the entry in between.
      this.db.transaction(() => {
        const row = this.db.prepare(`SELECT value FROM state WHERE key=?`).get(key) as { value: string } | undefined;
        const next = change(row?.value);
        if (next === row?.value) return next;
        if (next === undefined) this.db.prepare(`DELETE FROM state WHERE key=?`).run(key);
        else this.db.prepare(`INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`).run(key, next);
        return next;
      }).immediate(),
    );
  }

  async deleteState(key: string): Promise<void> {
    this.run("deleteState", () => this.db.prepare(`DELETE FROM state WHERE key=?`).run(key));
  }

  async listState(prefix: string): Promise<{ key: string; value: string }[]> {
    return this.run("listState", () =>
      this.db.prepare(`SELECT key, value FROM state WHERE substr(key, 1, ?) = ? ORDER BY key`).all(prefix.length, prefix),
    ) as { key: string; value: string }[];
  }

  async pushOutbox(channel: ChannelName, conversationId: string, text: string): Promise<void> {
    this.run("pushOutbox", () =>
      this.db.prepare(`INSERT INTO outbox (channel, conversation_id, text, created_at) VALUES (?, ?, ?, ?)`).run(channel, conversationId, text, now()),
    );
  }

  async pullOutbox(channel: ChannelName, conversationId: string): Promise<{ id: number; text: string; createdAt: string }[]> {
    return this.run("pullOutbox", () =>
      this.db.transaction(() => {
        const rows = this.db
          .prepare(`SELECT id, text, created_at FROM outbox WHERE channel=? AND conversation_id=? AND delivered_at IS NULL ORDER BY id`)
          .all(channel, conversationId) as { id: number; text: string; created_at: string }[];
        const at = now();
        for (const r of rows) this.db.prepare(`UPDATE outbox SET delivered_at=? WHERE id=?`).run(at, r.id);
        return rows.map((r) => ({ id: r.id, text: r.text, createdAt: r.created_at }));
      })(),
    );
  }

  rateLimiter(name: string, points: number, durationSec: number): RateLimiter {
    const tableName = `rate_${name.replace(/\W/g, "_")}`;
    // Created here, synchronously: the library would create it in the background, and a limiter used at once failed.
    this.run("rateLimiter", () =>
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${tableName} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`),
    );
    const limiter = new RateLimiterSQLite({
      storeClient: this.db, storeType: "better-sqlite3", tableName, tableCreated: true,
      points, duration: durationSec, clearExpiredByTimeout: false,
    });
    return limiterFrom(limiter);
  }

  async createInvite(code: string, createdBy: string): Promise<void> {
    this.run("createInvite", () =>
      this.db.prepare(`INSERT INTO invites (code, created_by, created_at) VALUES (?, ?, ?)`).run(code, createdBy, now()),
    );
  }

  async redeemInvite(code: string, channel: ChannelName, userId: string): Promise<boolean> {
    return this.run("redeemInvite", () =>
      this.db.transaction(() => {
        const res = this.db
          .prepare(`UPDATE invites SET used_by=?, used_at=? WHERE code=? AND used_by IS NULL`)
          .run(`${channel}:${userId}`, now(), code);
        if (res.changes === 0) return false;
        this.db
          .prepare(`INSERT OR IGNORE INTO members (channel, user_id, via, created_at) VALUES (?, ?, ?, ?)`)
          .run(channel, userId, `invite:${code.slice(0, 4)}…`, now());
        return true;
      })(),
    );
  }

  async listInvites(): Promise<Invite[]> {
    const rows = this.run("listInvites", () => this.db.prepare(`SELECT * FROM invites ORDER BY created_at DESC`).all()) as {
      code: string; created_by: string; created_at: string; used_by: string | null; used_at: string | null;
    }[];
    return rows.map((r) => ({ code: r.code, createdBy: r.created_by, createdAt: r.created_at, usedBy: r.used_by ?? undefined, usedAt: r.used_at ?? undefined }));
  }

  async addMember(channel: ChannelName, userId: string, via: string): Promise<void> {
    this.run("addMember", () =>
      this.db.prepare(`INSERT OR IGNORE INTO members (channel, user_id, via, created_at) VALUES (?, ?, ?, ?)`).run(channel, userId, via, now()),
    );
  }

  async isMember(channel: ChannelName, userId: string): Promise<boolean> {
    return Boolean(this.run("isMember", () => this.db.prepare(`SELECT 1 FROM members WHERE channel=? AND user_id=?`).get(channel, userId)));
  }

  async weeklyStats(weeks: number): Promise<WeeklyStats[]> {
    const since = new Date(Date.now() - weeks * 7 * 86400000).toISOString();
    const rows = this.run("weeklyStats", () =>
      this.db.prepare(`SELECT action, feedback, created_at FROM turns WHERE created_at >= ?`).all(since),
    ) as { action: string; feedback: number | null; created_at: string }[];
    return weeklyFromRows(rows, isoWeek);
  }

  async topicCounts(sinceIso: string, filter: "handover" | "thumbs_down" | "all") {
    const where =
      filter === "handover" ? `AND action='handover'` : filter === "thumbs_down" ? `AND feedback=-1` : `AND action IN ('answer','handover')`;
    const rows = this.run("topicCounts", () =>
      this.db.prepare(`SELECT topics, question FROM turns WHERE created_at >= ? ${where} ORDER BY id DESC`).all(sinceIso),
    ) as { topics: string; question: string }[];
    return topicsFromRows(rows);
  }

  async sourceUsage(sinceIso: string) {
    const rows = this.run("sourceUsage", () => this.db.prepare(`SELECT source_ids FROM turns WHERE created_at >= ? AND action='answer'`).all(sinceIso)) as { source_ids: string }[];
    return usageFromRows(rows);
  }

  async exportUserData(channel: ChannelName, userId: string) {
    const turns = (this.run("exportUserData", () =>
      this.db.prepare(`SELECT * FROM turns WHERE channel=? AND user_id=? ORDER BY id`).all(channel, userId),
    ) as TurnRow[]).map(toTurn);
    const tickets = (this.run("exportUserData", () =>
      this.db.prepare(`SELECT * FROM tickets WHERE channel=? AND user_id=? ORDER BY id`).all(channel, userId),
    ) as TicketRow[]).map(toTicket);
    return { turns, tickets };
  }

  async deleteUserData(channel: ChannelName, userId: string): Promise<number> {
    return this.run("deleteUserData", () =>
      this.db.transaction(() => {
        const a = this.db.prepare(`DELETE FROM turns WHERE channel=? AND user_id=?`).run(channel, userId).changes;
        const b = this.db.prepare(`DELETE FROM tickets WHERE channel=? AND user_id=?`).run(channel, userId).changes;
        // The person's private chat (its id equals the user id in Telegram and the web chat): address, outbox, digest.
        for (const t of ["conversations", "outbox", "subscriptions"]) {
          this.db.prepare(`DELETE FROM ${t} WHERE channel=? AND conversation_id=?`).run(channel, userId);
        }
        return a + b;
      })(),
    );
  }

  async purgeOlderThan(iso: string): Promise<number> {
    return this.run("purgeOlderThan", () =>
      this.db.transaction(() => {
        let n = 0;
        for (const sql of PURGE_SQL) n += this.db.prepare(sql.replaceAll("$1", "?")).run(...Array(sql.split("$1").length - 1).fill(iso)).changes;
        return n;
      })(),
    );
  }

  async expireStaleTickets(iso: string): Promise<TicketRecord[]> {
    return this.run("expireStaleTickets", () =>
      this.db.transaction(() => {
        const ids = (this.db.prepare(`SELECT id FROM tickets WHERE status<>'closed' AND updated_at < ?`).all(iso) as { id: number }[]).map((r) => r.id);
        const stmt = this.db.prepare(EXPIRE_TICKET_SQL.replaceAll(/\$\d/g, "?"));
        for (const id of ids) stmt.run(now(), id);
        return ids.map((id) => toTicket(this.db.prepare(`SELECT * FROM tickets WHERE id=?`).get(id) as TicketRow));
      })(),
    );
  }

}
