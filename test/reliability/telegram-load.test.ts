import { describe, expect, it } from "vitest";
import { runTelegramLoad } from "../../src/cli/load-telegram.js";

describe("many mayors at once through the real Telegram channel", () => {
  it("gives every question exactly one reply (50 mayors × 5 questions, loopback only)", async () => {
    const r = await runTelegramLoad({ mayors: 50, questionsEach: 5, knowledgeDir: "test/fixtures/knowledge", timeoutMs: 60_000 });
    expect(r.questions).toBe(250);
    expect(r.replies).toBe(250);
    expect(r.chatsWithWrongCount).toBe(0);
  });
});
