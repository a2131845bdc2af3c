import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import pino from "pino";
import { GrammyError } from "grammy";
import { createTelegramChannel } from "../../../src/channels/telegram/index.js";
import { payloadFreeLogger } from "../../../src/channels/telegram/errors.js";
import { makeCore } from "../../support/core.js";
import { startFakeTelegram, TEST_BOT, TEST_TOKEN, textUpdate } from "../../support/telegram-api.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: pino({ level: "debug" }, stream), lines };
}

describe("Telegram logging", () => {
  it("never writes message texts from Bot API errors (GrammyError keeps the payload)", () => {
    const { log, lines } = capture();
    const err = new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 403, description: "Forbidden" }, "sendMessage", { chat_id: 1, text: "GEHEIMER TEXT" });
    payloadFreeLogger(log).child({ update_id: 1 }).error({ err }, "failed");
    expect(lines.join("")).toContain('"error_code":403');
    expect(lines.join("")).not.toContain("GEHEIMER");
  });

  it("logs a failed answer delivery with update_id and without the answer or the question", async () => {
    const api = await startFakeTelegram();
    const core = await makeCore({ TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot });
    const { log, lines } = capture();
    const rt = (await createTelegramChannel({ config: core.config, core, log }, { botInfo: TEST_BOT }))!;
    try {
      api.fail("sendMessage", { kind: "error", code: 400, description: "Bad Request: chat not found" }, { times: Infinity });
      const update = textUpdate("Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?", { from: { id: 1401, first_name: "Lotte" } });
      await rt.bot.handleUpdate(update as never);
      const out = lines.join("");
      expect(out).toContain("reply could not be delivered");
      expect(out).toContain(`"update_id":${update.update_id}`);
      expect(out).not.toContain("Unfallkasse");
      expect(out).not.toContain("Arbeitseinsätzen");
    } finally {
      await rt.stop();
      await core.cleanup();
      await api.close();
    }
  });
});
