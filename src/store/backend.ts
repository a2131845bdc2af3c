import Database from "better-sqlite3";
import pg from "pg";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, PostgresDialect, SqliteDialect, sql, type PostgresPool } from "kysely";
import { RateLimiterPostgres, RateLimiterSQLite } from "rate-limiter-flexible";
import type { Logger } from "pino";
import type { RateLimiter } from "./store.js";
import { StoreError } from "./store-error.js";
import { limiterFrom } from "./row-mapping.js";
import { migrations, type Db, type Dialect, type Tables } from "./schema.js";

/**
 * What differs between SQLite and PostgreSQL, and only that: opening the connection, running the
 * migrations safely when instances start together, and the rate limiter (rate-limiter-flexible needs the
 * driver itself). Every query is written once, with Kysely, in the store modules.
 */
export interface Backend {
  dialect: Dialect;
  /** For error messages: "SQLite" or "PostgreSQL". */
  label: string;
  db: Db;
  /** True after close(): every further operation fails with a StoreError. */
  readonly closed: boolean;
  migrate(): Promise<void>;
  rateLimiter(name: string, points: number, durationSec: number): RateLimiter;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();
const newerSchema = (version: number, known: number) =>
  new StoreError(`database schema version ${version} is newer than this Ortslotse (${known}); update the software`);

/** SQLite in one file: one instance (or a CLI next to it). */
export function sqliteBackend(file: string): Backend {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(file);
    // WAL + synchronous NORMAL: a kill -9 loses no committed transaction, and readers never block the writer.
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.pragma("busy_timeout = 5000");
    raw.pragma("foreign_keys = ON");
    // Deleted rows are overwritten with zeros, so purged or deleted data cannot be read from the file.
    raw.pragma("secure_delete = ON");
    // SQLite's own lower() changes only ASCII letters; the staff search must find "Ärger" when "ärger" is typed,
    // as PostgreSQL's lower() does.
    raw.function("lower", { deterministic: true }, (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v) as string | null);
  } catch (err) {
    throw new StoreError(`cannot open SQLite database at ${file}`, { cause: err });
  }
  // Kysely prepares every query anew; better-sqlite3 statements can be reused, which saves the parse of
  // the same few dozen statements on every question.
  const statements = new Map<string, Database.Statement>();
  const database = {
    close: () => raw.close(),
    prepare: (text: string) => {
      let st = statements.get(text);
      if (!st) {
        st = raw.prepare(text);
        // Lists of different length ("IN (?, ?)") make new texts: keep the cache bounded.
        if (statements.size >= 500) statements.delete(statements.keys().next().value!);
        statements.set(text, st);
      }
      return st;
    },
  };
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
  let closed = false;
  return {
    dialect: "sqlite",
    label: "SQLite",
    db,
    get closed() {
      return closed;
    },
    async migrate() {
      const steps = migrations(db, "sqlite");
      try {
        for (let i = 0; i < steps.length; i++) {
          // Synchronous and IMMEDIATE: the version is read under the write lock, so a second process (or a
          // second handle in this one) waits and then finds the step done, and no await can interleave.
          raw.transaction(() => {
            const version = raw.pragma("user_version", { simple: true }) as number;
            if (version > steps.length) throw newerSchema(version, steps.length);
            if (version > i) return;
            for (const q of steps[i]) {
              const c = q.compile();
              raw.prepare(c.sql).run(...(c.parameters as unknown[]));
            }
            raw.pragma(`user_version = ${i + 1}`);
          }).immediate();
        }
      } catch (err) {
        throw err instanceof StoreError ? err : new StoreError("SQLite migrate failed", { cause: err });
      }
    },
    rateLimiter(name, points, durationSec) {
      const tableName = `rate_${name.replace(/\W/g, "_")}`;
      // Created here, synchronously: the library would create it in the background, and a limiter used at once failed.
      try {
        raw.exec(`CREATE TABLE IF NOT EXISTS ${tableName} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`);
      } catch (err) {
        throw new StoreError("SQLite rateLimiter failed", { cause: err });
      }
      return limiterFrom(new RateLimiterSQLite({
        storeClient: raw, storeType: "better-sqlite3", tableName, tableCreated: true, points, duration: durationSec, clearExpiredByTimeout: false,
      }));
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

export interface PostgresOptions {
  /** Connections per instance; several instances share the server's max_connections (default 100). */
  poolSize?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Errors of idle pooled connections (server restart, network); the pool replaces the connection. */
  log?: Logger;
}

/** PostgreSQL text cannot hold U+0000 (SQLite can); the core strips control characters already, this is the last guard. */
const clean = (v: unknown) => (typeof v === "string" && v.includes("\u0000") ? v.replaceAll("\u0000", "") : v);

/** PostgreSQL, for several instances sharing one database. */
export function postgresBackend(connectionString: string, opts: PostgresOptions = {}): Backend {
  const pool = new pg.Pool({
    connectionString,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    // A stuck lock or query must not hold a webhook (or a shutdown) forever; every statement here is short.
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    application_name: "ortslotse",
  });
  // Without a listener an idle connection dropped by the server would crash the process.
  pool.on("error", (err) => {
    if (opts.log) opts.log.warn({ err }, "PostgreSQL connection lost; the pool reconnects on demand");
    else process.emitWarning(`PostgreSQL connection lost: ${err.message}`);
  });
  // Kysely gets the pool through a thin wrapper that removes NUL characters from every parameter.
  const cleaning: PostgresPool = {
    connect: async () => {
      const client = await pool.connect();
      return {
        query: (text: string, values: readonly unknown[]) => client.query(text, values.map(clean)),
        release: () => client.release(),
      } as never;
    },
    end: () => pool.end(),
  };
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: cleaning }) });
  const rateTables = new Map<string, Promise<void>>();
  let closed = false;

  /** Creates a limiter's table once, under an advisory lock: CREATE TABLE IF NOT EXISTS is not safe when instances race. */
  const ensureRateTable = (table: string): Promise<void> => {
    let ready = rateTables.get(table);
    if (!ready) {
      ready = db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext('ortslotse:rate:' || current_schema() || ':' || ${table}))`.execute(trx);
        // The column layout RateLimiterPostgres expects (key, points, expire), with text keys of any length.
        await sql`CREATE TABLE IF NOT EXISTS ${sql.id(table)} (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`.execute(trx);
      }).catch((err: unknown) => {
        rateTables.delete(table);
        throw new StoreError("PostgreSQL create rate limiter table failed", { cause: err });
      });
      rateTables.set(table, ready);
    }
    return ready;
  };

  return {
    dialect: "postgres",
    label: "PostgreSQL",
    db,
    get closed() {
      return closed;
    },
    async migrate() {
      const steps = migrations(db, "postgres");
      try {
        await db.transaction().execute(async (trx) => {
          // Instances starting together queue here; the second finds the schema current. Keyed by schema,
          // so separate schemas in one database (tests, staging) do not wait for each other.
          await sql`SELECT pg_advisory_xact_lock(hashtext('ortslotse:migrate:' || current_schema()))`.execute(trx);
          await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text COLLATE "C" NOT NULL)`.execute(trx);
          const r = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(trx);
          const version = r.rows[0]?.v ?? 0;
          if (version > steps.length) throw newerSchema(version, steps.length);
          for (let i = version; i < steps.length; i++) {
            for (const q of steps[i]) await trx.executeQuery(q.compile());
            await sql`INSERT INTO schema_migrations (version, applied_at) VALUES (${i + 1}, ${now()})`.execute(trx);
          }
        });
      } catch (err) {
        throw err instanceof StoreError ? err : new StoreError("PostgreSQL migrate failed", { cause: err });
      }
    },
    rateLimiter(name, points, durationSec) {
      const table = `rate_${name.replace(/\W/g, "_")}`.toLowerCase();
      // Created now, when the limiter is set up at start-up, rather than by the library in the background.
      ensureRateTable(table).catch(() => undefined /* reported to the first allow() */);
      const limiter = new RateLimiterPostgres({
        storeClient: pool, storeType: "pool", tableName: table, tableCreated: true, points, duration: durationSec, clearExpiredByTimeout: false,
      });
      return limiterFrom(limiter, () => ensureRateTable(table));
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
