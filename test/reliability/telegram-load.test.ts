import { afterAll, describe, expect, it } from "vitest";
import { runLoadBench, startTelegramApp } from "../../src/bench/load-bench.js";
import { FIXTURE_KNOWLEDGE, tempDir } from "../support/temp.js";

describe("many mayors at once through the real Telegram channel", () => {
  const d = tempDir();
  afterAll(() => d.cleanup());

  it("gives every question exactly one reply (50 mayors × 5 questions, loopback only)", async () => {
    const r = await runLoadBench({
      mayors: 50,
      perMayor: 5,
      questions: ["Sind Helfer beim Arbeitseinsatz unfallversichert?", "Welche Rechtsform passt für einen Dorfladen?", "Welche Windkraftanlagen sind in der VG Ruwer geplant?", "hallo"],
      timeoutMs: 60_000,
      start: async (apiRoot, token) => {
        const app = await startTelegramApp({ knowledgeDir: FIXTURE_KNOWLEDGE, dataDir: d.dir, promptsDir: "prompts", apiRoot, token });
        return { stop: async () => (await app.stop(), {}) };
      },
    });
    expect(r.questions).toBe(250);
    expect(r.answered).toBe(250);
    expect(r.missing).toBe(0);
    expect(r.chatsWithExtraMessages).toBe(0);
    expect(r.exactlyOne).toBe(true);
  });
});
