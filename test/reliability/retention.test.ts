import { afterAll, describe, expect, it, vi } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startApp } from "../support/core.js";
import { tempDir } from "../support/temp.js";
import { sqliteStore } from "../../src/store/sql-store.js";

const SECRET = "Geheimwort-Zerf-4711";

describe("retention catches up at start and leaves nothing readable on disk", () => {
  const data = tempDir();
  afterAll(() => data.cleanup());

  it("purges a question older than RETENTION_DAYS when the server starts after downtime, and zeroes it in the SQLite file", async () => {
    const file = join(data.dir, "ortslotse.sqlite");
    const store = sqliteStore(file);
    await store.migrate();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() - 40 * 86_400_000);
    await store.addTurn({ channel: "telegram", conversationId: "c1", userId: "u1", question: `Frage mit ${SECRET}`, action: "answer", answer: "x", confidence: 0.9, reasons: [], sourceIds: [], topics: [] });
    const stale = await store.createTicket({ channel: "telegram", conversationId: "c1", userId: "u1", question: `Rückruf ${SECRET}`, context: [], passages: [], reason: "person_requested", topics: [] });
    vi.useRealTimers();
    await store.close();
    expect(readFileSync(file).includes(SECRET)).toBe(true);

    // The server was down at 03:30 for weeks: starting it catches the purge up at once.
    const app = await startApp({ DATA_DIR: data.dir, RETENTION_DAYS: "30" });
    try {
      await vi.waitFor(async () => expect((await app.core.store.getTicket(stale.id))?.status).toBe("closed"), { timeout: 10_000 });
      await vi.waitFor(async () => expect(await app.core.store.recentTurns("telegram", "c1", 5)).toEqual([]), { timeout: 10_000 });
    } finally {
      await app.stop();
    }
    for (const f of [file, `${file}-wal`]) if (existsSync(f)) expect(readFileSync(f).includes(SECRET)).toBe(false);
  });
});
