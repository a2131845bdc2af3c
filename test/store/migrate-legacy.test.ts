import Database from "better-sqlite3";
import pg from "pg";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postgresStore, sqliteStore } from "../../src/store/sql-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../support/temp.js";
import { createTestSchema, postgresTests, reportPostgresSkip } from "../support/postgres.js";

/**
 * A database of the release before keeps Telegram's and Teams' unfinished updates, their seen markers and
 * staff sessions in the key-value state and job_runs. Migration 4 moves them into the inbox table:
 * unfinished updates are replayed after the upgrade, seen ones stay ignored, old sessions end.
 */
const LEGACY_STATE: [string, string][] = [
  ["telegram:inbox:000000000100", '{"update_id":100}'],
  ["teams:inbox:conv|act-1", '{"type":"message"}'],
  ["staff:sessions:jana", '[{"sid":"x","exp":99999999999999,"csrf":"y"}]'],
  ["web:sessionSecret", "keep-me"],
  // Migration 8: Teams' "message → turn" for feedback, moved under the prefix the retention run cleans.
  ["teams:answer:a:conv:act-9", "7"],
];
const LEGACY_RUNS: [string, string][] = [
  ["telegram-update", "100"],
  ["telegram-update", "98"],
  ["teams-activity", "conv|act-1"],
  ["teams-activity", "conv|act-0"],
  ["digest", "2026-W10"],
];

async function expectMoved(store: Store) {
  expect(await store.unfinishedUpdates("telegram")).toEqual([{ key: "100", payload: '{"update_id":100}' }]);
  expect(await store.unfinishedUpdates("teams")).toEqual([{ key: "conv|act-1", payload: '{"type":"message"}' }]);
  // Seen before the upgrade and finished: not claimed again.
  expect(await store.claimUpdate("telegram", "98", "{}")).toBe(false);
  expect(await store.beginUpdate("teams", "conv|act-0", "{}")).toBe("done");
  expect(await store.beginUpdate("teams", "conv|act-1", "{}")).toBe("unfinished");
  expect(await store.getState("staff:sessions:jana")).toBeUndefined();
  expect(await store.listState("telegram:inbox:")).toEqual([]);
  expect(await store.getState("web:sessionSecret")).toBe("keep-me");
  expect(await store.listState("teams:answer:")).toEqual([]);
  expect(await store.getState("turnref:teams:a:conv:act-9")).toBe("7");
  expect(await store.claimJobRun("digest", "2026-W10")).toBe(false);
}

// Step 7 replaced two ticket indexes; undone so the steps from 4 on run as they would on that release's database.
const UNDO_STEP_7 = "DROP INDEX tickets_conv_user; DROP INDEX tickets_user_status; " +
  "CREATE INDEX tickets_conv ON tickets (channel, conversation_id, status); CREATE INDEX tickets_user ON tickets (channel, user_id);";

describe("migrations 4 and 5 on a database of the release before", () => {
  it("SQLite: moves the inbox and seen markers out of the state", async () => {
    const d = tempDir();
    const file = join(d.dir, "ortslotse.sqlite");
    try {
      const fresh = sqliteStore(file);
      await fresh.migrate();
      await fresh.close();
      // Back to the schema of version 3, with data as that release wrote it.
      const raw = new Database(file);
      raw.exec(UNDO_STEP_7 + "DROP TABLE staff_sessions; DROP TABLE inbox; ALTER TABLE tickets DROP COLUMN request_id; PRAGMA user_version = 3;");
      for (const [k, v] of LEGACY_STATE) raw.prepare("INSERT INTO state (key, value) VALUES (?, ?)").run(k, v);
      for (const [j, p] of LEGACY_RUNS) raw.prepare("INSERT INTO job_runs (job, period, started_at) VALUES (?, ?, '2026-11-30T10:00:00.000Z')").run(j, p);
      raw.close();
      const store = sqliteStore(file);
      await store.migrate();
      try {
        await expectMoved(store);
      } finally {
        await store.close();
      }
    } finally {
      d.cleanup();
    }
  });

  reportPostgresSkip("migrate-legacy");
  it.runIf(postgresTests.enabled)("PostgreSQL: moves the inbox and seen markers out of the state", async () => {
    const schema = await createTestSchema();
    try {
      const fresh = postgresStore(schema.url, { poolSize: 2 });
      await fresh.migrate();
      await fresh.close();
      const c = new pg.Client({ connectionString: schema.url });
      await c.connect();
      try {
        await c.query(UNDO_STEP_7 + "DROP TABLE staff_sessions; DROP TABLE inbox; ALTER TABLE tickets DROP COLUMN request_id; DELETE FROM schema_migrations WHERE version >= 4");
        for (const [k, v] of LEGACY_STATE) await c.query("INSERT INTO state (key, value) VALUES ($1, $2)", [k, v]);
        for (const [j, p] of LEGACY_RUNS) await c.query("INSERT INTO job_runs (job, period, started_at) VALUES ($1, $2, '2026-11-30T10:00:00.000Z')", [j, p]);
      } finally {
        await c.end();
      }
      const store = postgresStore(schema.url, { poolSize: 2 });
      await store.migrate();
      try {
        await expectMoved(store);
      } finally {
        await store.close();
      }
    } finally {
      await schema.drop();
    }
  });
});
