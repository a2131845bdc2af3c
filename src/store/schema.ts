import { sql, type ColumnType, type Compilable, type Kysely } from "kysely";

/*
 * The tables, once for both databases. Column choices keep SQLite and PostgreSQL answering alike:
 * - timestamps are the application's ISO strings as text (PostgreSQL: "C" collation, so they compare in
 *   time order and come back byte for byte);
 * - JSON values are their JSON.stringify text, parsed on read (jsonb would reorder keys and reject "\u0000");
 * - ids are integer identities (PostgreSQL bigint: they arrive as strings and are turned into numbers);
 * - flags are written as 1/0 (SQLite has no boolean; PostgreSQL's boolean columns accept them).
 */
// Read as a number (PostgreSQL bigint arrives as a string and is converted where read); never written.
type Id = ColumnType<number, never, never>;
type Flag = ColumnType<number | boolean, number, number>;

export interface Tables {
  conversations: { channel: string; conversation_id: string; is_group: Flag; reference: string | null; title: string | null; updated_at: string };
  turns: {
    id: Id; channel: string; conversation_id: string; user_id: string; question: string; action: string; answer: string;
    confidence: number; reasons: string; source_ids: string; topics: string; feedback: number | null; created_at: string;
  };
  tickets: {
    id: Id; channel: string; conversation_id: string; user_id: string; user_name: string | null; village: string | null;
    question: string; context: string; passages: string; draft_answer: string | null; reason: string; topics: string;
    status: string; staff_member: string | null; answer: string | null; messages: string; staff_post_ref: string | null;
    created_at: string; updated_at: string; answered_at: string | null; last_reminded_at: string | null;
    request_id: string | null;
  };
  staff: { id: Id; name: string; password_hash: string; must_change: Flag; created_at: string };
  subscriptions: { channel: string; conversation_id: string; created_by: string | null; created_at: string };
  digest_deliveries: { digest_key: string; channel: string; conversation_id: string; status: string; error: string | null; updated_at: string };
  state: { key: string; value: string };
  outbox: { id: Id; channel: string; conversation_id: string; text: string; created_at: string; delivered_at: string | null };
  invites: { code: string; created_by: string; created_at: string; used_by: string | null; used_at: string | null };
  members: { channel: string; user_id: string; via: string; created_at: string };
  job_runs: { job: string; period: string; started_at: string };
  staff_sessions: { sid: string; name: string; csrf: string; expires_at: string; created_at: string };
  inbox: { channel: string; update_key: string; payload: string | null; claimed: Flag; done: Flag; received_at: string };
}

export type Db = Kysely<Tables>;
export type Dialect = "sqlite" | "postgres";

/** The column types that differ between the two databases. */
function types(dialect: Dialect) {
  const pg = dialect === "postgres";
  return {
    ts: pg ? sql`text collate "C"` : sql`text`,
    flag: pg ? sql`boolean` : sql`integer`,
    no: pg ? sql`false` : sql`0`,
    yes: pg ? sql`true` : sql`1`,
    real: pg ? sql`double precision` : sql`real`,
    /** An auto-numbered primary key. */
    id: (t: ReturnType<Db["schema"]["createTable"]>) =>
      pg ? t.addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity()) : t.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement()),
  };
}

/**
 * Ordered migrations as statements (built, not run: each back-end runs them its own safe way, see
 * backend.ts). Never edit one that shipped: append. The numbering is the one both databases recorded
 * before (SQLite user_version, PostgreSQL schema_migrations), so existing databases carry on.
 */
export function migrations(db: Db, dialect: Dialect): Compilable[][] {
  const t = types(dialect);
  const s = db.schema;
  return [
    [
      s.createTable("conversations")
        .addColumn("channel", "text", (c) => c.notNull()).addColumn("conversation_id", "text", (c) => c.notNull())
        .addColumn("is_group", t.flag, (c) => c.notNull().defaultTo(t.no)).addColumn("reference", "text").addColumn("title", "text")
        .addColumn("updated_at", t.ts, (c) => c.notNull()).addPrimaryKeyConstraint("conversations_pk", ["channel", "conversation_id"]),
      t.id(s.createTable("turns"))
        .addColumn("channel", "text", (c) => c.notNull()).addColumn("conversation_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull()).addColumn("question", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull()).addColumn("answer", "text", (c) => c.notNull())
        .addColumn("confidence", t.real, (c) => c.notNull()).addColumn("reasons", "text", (c) => c.notNull())
        .addColumn("source_ids", "text", (c) => c.notNull()).addColumn("topics", "text", (c) => c.notNull())
        .addColumn("feedback", "smallint").addColumn("created_at", t.ts, (c) => c.notNull()),
      s.createIndex("turns_conv").on("turns").columns(["channel", "conversation_id", "id"]),
      s.createIndex("turns_created").on("turns").column("created_at"),
      t.id(s.createTable("tickets"))
        .addColumn("channel", "text", (c) => c.notNull()).addColumn("conversation_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull()).addColumn("user_name", "text").addColumn("village", "text")
        .addColumn("question", "text", (c) => c.notNull()).addColumn("context", "text", (c) => c.notNull())
        .addColumn("passages", "text", (c) => c.notNull()).addColumn("draft_answer", "text")
        .addColumn("reason", "text", (c) => c.notNull()).addColumn("topics", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().defaultTo("open")).addColumn("staff_member", "text").addColumn("answer", "text")
        .addColumn("messages", "text", (c) => c.notNull()).addColumn("staff_post_ref", "text")
        .addColumn("created_at", t.ts, (c) => c.notNull()).addColumn("updated_at", t.ts, (c) => c.notNull())
        .addColumn("answered_at", t.ts).addColumn("last_reminded_at", t.ts),
      s.createIndex("tickets_conv").on("tickets").columns(["channel", "conversation_id", "status"]),
      s.createIndex("tickets_post").on("tickets").column("staff_post_ref"),
      t.id(s.createTable("staff"))
        .addColumn("name", "text", (c) => c.notNull().unique()).addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("must_change", t.flag, (c) => c.notNull().defaultTo(t.yes)).addColumn("created_at", t.ts, (c) => c.notNull()),
      s.createTable("subscriptions")
        .addColumn("channel", "text", (c) => c.notNull()).addColumn("conversation_id", "text", (c) => c.notNull())
        .addColumn("created_by", "text").addColumn("created_at", t.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint("subscriptions_pk", ["channel", "conversation_id"]),
      s.createTable("digest_deliveries")
        .addColumn("digest_key", "text", (c) => c.notNull()).addColumn("channel", "text", (c) => c.notNull())
        .addColumn("conversation_id", "text", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull())
        .addColumn("error", "text").addColumn("updated_at", t.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint("digest_deliveries_pk", ["digest_key", "channel", "conversation_id"]),
      s.createTable("state").addColumn("key", "text", (c) => c.primaryKey()).addColumn("value", "text", (c) => c.notNull()),
      t.id(s.createTable("outbox"))
        .addColumn("channel", "text", (c) => c.notNull()).addColumn("conversation_id", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull()).addColumn("created_at", t.ts, (c) => c.notNull()).addColumn("delivered_at", t.ts),
      s.createIndex("outbox_conv").on("outbox").columns(["channel", "conversation_id", "delivered_at"]),
    ],
    [
      s.createTable("invites")
        .addColumn("code", "text", (c) => c.primaryKey()).addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", t.ts, (c) => c.notNull()).addColumn("used_by", "text").addColumn("used_at", t.ts),
      s.createTable("members")
        .addColumn("channel", "text", (c) => c.notNull()).addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("via", "text", (c) => c.notNull()).addColumn("created_at", t.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint("members_pk", ["channel", "user_id"]),
      s.createTable("job_runs")
        .addColumn("job", "text", (c) => c.notNull()).addColumn("period", "text", (c) => c.notNull())
        .addColumn("started_at", t.ts, (c) => c.notNull()).addPrimaryKeyConstraint("job_runs_pk", ["job", "period"]),
    ],
    [
      // Export and deletion look a person up by user id (PostgreSQL databases have had these since the start).
      s.createIndex("turns_user").ifNotExists().on("turns").columns(["channel", "user_id"]),
      s.createIndex("tickets_user").ifNotExists().on("tickets").columns(["channel", "user_id"]),
    ],
    [
      // Staff sessions and incoming updates had lived in the key-value state as JSON; their own tables
      // make them queryable, atomic per row, and covered by the retention rules.
      s.createTable("staff_sessions")
        .addColumn("sid", "text", (c) => c.primaryKey()).addColumn("name", "text", (c) => c.notNull())
        .addColumn("csrf", "text", (c) => c.notNull()).addColumn("expires_at", t.ts, (c) => c.notNull())
        .addColumn("created_at", t.ts, (c) => c.notNull()),
      s.createIndex("staff_sessions_name").on("staff_sessions").column("name"),
      s.createTable("inbox")
        .addColumn("channel", "text", (c) => c.notNull()).addColumn("update_key", "text", (c) => c.notNull())
        .addColumn("payload", "text").addColumn("claimed", t.flag, (c) => c.notNull().defaultTo(t.no))
        .addColumn("done", t.flag, (c) => c.notNull().defaultTo(t.no)).addColumn("received_at", t.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint("inbox_pk", ["channel", "update_key"]),
      s.createIndex("inbox_pending").on("inbox").columns(["channel", "done"]),
      // What the state held moves over: unfinished updates (replayed after the upgrade), seen markers.
      db.insertInto("inbox").columns(["channel", "update_key", "payload", "claimed", "done", "received_at"])
        .expression(db.selectFrom("state").select([sql.lit("telegram").as("channel"), sql<string>`CAST(CAST(substr(key, 16) AS BIGINT) AS TEXT)`.as("update_key"),
          "value", t.yes.as("claimed"), t.no.as("done"), sql.lit("1970-01-01T00:00:00.000Z").as("received_at")]).where("key", "like", "telegram:inbox:%")),
      db.insertInto("inbox").columns(["channel", "update_key", "payload", "claimed", "done", "received_at"])
        .expression(db.selectFrom("state").select([sql.lit("teams").as("channel"), sql<string>`substr(key, 13)`.as("update_key"),
          "value", t.yes.as("claimed"), t.no.as("done"), sql.lit("1970-01-01T00:00:00.000Z").as("received_at")]).where("key", "like", "teams:inbox:%")),
      db.insertInto("inbox").columns(["channel", "update_key", "payload", "claimed", "done", "received_at"])
        .expression(db.selectFrom("job_runs").select([sql<string>`CASE job WHEN 'telegram-update' THEN 'telegram' ELSE 'teams' END`.as("channel"), "period",
          sql.lit(null).as("payload"), t.yes.as("claimed"), t.yes.as("done"), "started_at"])
          .where("job", "in", ["telegram-update", "teams-activity"])
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom("state").select("key").where(sql<boolean>`key = CASE job WHEN 'telegram-update' THEN 'telegram:inbox:' || substr('000000000000' || period, length(period) + 1) ELSE 'teams:inbox:' || period END`))))),
      db.deleteFrom("job_runs").where("job", "in", ["telegram-update", "teams-activity"]),
      // Sessions kept in the state before: those staff members log in once more.
      db.deleteFrom("state").where((eb) => eb.or([eb("key", "like", "staff:sessions:%"), eb("key", "like", "telegram:inbox:%"), eb("key", "like", "teams:inbox:%")])),
    ],
    [
      // The request a Vorgang came from, so staff and logs point to the same message.
      s.alterTable("tickets").addColumn("request_id", "text"),
    ],
    [
      // Every hand-over looks for the person's open Vorgang in this conversation (newest first) and, when
      // there is one, counts their open ones. With (channel, user_id) and (channel, conversation_id, status)
      // SQLite chose the user index and read every Vorgang the person ever had, then sorted them: the cost
      // grew with each one. Conversation and person first, in id order, answer the first with a short range
      // read backwards; the status in the person's index makes the count read the index alone.
      s.dropIndex("tickets_conv").ifExists(),
      s.dropIndex("tickets_user").ifExists(),
      s.createIndex("tickets_conv_user").on("tickets").columns(["channel", "conversation_id", "user_id", "id"]),
      s.createIndex("tickets_user_status").on("tickets").columns(["channel", "user_id", "status"]),
    ],
    [
      // Teams kept "message → turn" for feedback under its own prefix, and the retention run never removed them.
      db.updateTable("state").set({ key: sql<string>`'turnref:teams:' || substr(key, 14)` }).where("key", "like", "teams:answer:%"),
    ],
  ];
}
