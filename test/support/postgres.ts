import pg from "pg";
import { randomBytes } from "node:crypto";

/**
 * PostgreSQL for tests: a real server named by TEST_DATABASE_URL (.ci/run starts one), never a mock.
 * Each call to createTestSchema() gets a fresh schema in that database, selected through the connection
 * URL's search_path, so test files running in parallel never see each other's rows.
 */
const url = process.env.TEST_DATABASE_URL?.trim() || undefined;
const inCi = Boolean(process.env.CI) && !/^(0|false|no)$/i.test(process.env.CI ?? "");

/**
 * Whether the PostgreSQL suites run: whenever a URL is set, and in CI always — there a missing URL makes
 * them fail (createTestSchema throws) instead of passing silently. Locally without a URL they are skipped
 * with a printed reason.
 */
export const postgresTests: { enabled: boolean; reason?: string } = url || inCi
  ? { enabled: true }
  : { enabled: false, reason: "TEST_DATABASE_URL is not set (e.g. postgres://user:pass@127.0.0.1:5432/db); PostgreSQL tests skipped" };

/** Prints why the PostgreSQL suites of a file are skipped (call once per file). */
export function reportPostgresSkip(file: string): void {
  if (!postgresTests.enabled) console.warn(`[${file}] ${postgresTests.reason}`);
}

export interface TestSchema {
  /** TEST_DATABASE_URL with the fresh schema as search_path: give it to postgresStore() or DATABASE_URL. */
  url: string;
  schema: string;
  drop: () => Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createTestSchema(): Promise<TestSchema> {
  if (!url) {
    throw new Error(
      "TEST_DATABASE_URL is not set, but CI is: the PostgreSQL tests must run in CI (.ci/run starts a server and exports the URL).",
    );
  }
  const schema = `ortslotse_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE SCHEMA "${schema}"`));
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: u.toString(),
    schema,
    // Callers close their stores first; CASCADE takes every table, sequence and index with it.
    drop: () => admin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}
