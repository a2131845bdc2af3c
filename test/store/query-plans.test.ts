import { afterEach, describe, expect, it, vi } from "vitest";
import { join } from "node:path";
import Database from "better-sqlite3";
import { sqliteStore } from "../../src/store/sql-store.js";
import { tempDir } from "../support/temp.js";

/**
 * The look-ups every hand-over makes must stay index range reads: with the wrong index SQLite read every
 * Vorgang a person ever had and sorted them, on each new message (PostgreSQL plans from its statistics).
 */
describe("SQLite query plans of the hand-over look-ups", () => {
  const dirs: { cleanup: () => void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const d of dirs.splice(0)) d.cleanup();
  });

  /** The statements the store really prepares while `work` runs, each with SQLite's plan for it. */
  async function plansOf(work: (store: ReturnType<typeof sqliteStore>) => Promise<unknown>): Promise<{ sql: string; plan: string }[]> {
    const d = tempDir("ortslotse-plans-");
    dirs.push(d);
    const file = join(d.dir, "ortslotse.sqlite");
    const store = sqliteStore(file);
    await store.migrate();
    const seen: string[] = [];
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, "prepare").mockImplementation(function (this: Database.Database, source: string) {
      seen.push(source);
      return prepare.call(this, source);
    });
    await work(store);
    vi.restoreAllMocks();
    await store.close();
    const raw = new Database(file, { readonly: true });
    try {
      return seen.map((sql) => {
        const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => "x");
        const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(" | ");
        return { sql, plan };
      });
    } finally {
      raw.close();
    }
  }

  it("finds a person's open Vorgang in a conversation without reading or sorting their other ones", async () => {
    const plans = await plansOf((s) => s.findOpenTicket("telegram", "c1", "anna"));
    expect(plans).toHaveLength(1);
    expect(plans[0].plan).toMatch(/USING INDEX tickets_conv_user \(channel=\? AND conversation_id=\? AND user_id=\?\)/);
    expect(plans[0].plan).not.toMatch(/TEMP B-TREE/);
  });

  it("counts a person's open Vorgänge from the index alone", async () => {
    const plans = await plansOf((s) => s.countOpenTickets("telegram", "anna"));
    expect(plans).toHaveLength(1);
    expect(plans[0].plan).toMatch(/USING COVERING INDEX tickets_user_status \(channel=\? AND user_id=\? AND status=\?\)/);
  });
});
