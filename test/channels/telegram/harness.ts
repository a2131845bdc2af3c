import { createTelegramChannel, type TelegramRuntime } from "../../../src/channels/telegram/index.js";
import type { BotOptions } from "../../../src/channels/telegram/bot.js";
import { makeCore, silentLog } from "../../support/core.js";
import { startFakeTelegram, TEST_BOT, TEST_TOKEN, type FakeTelegram } from "../../support/telegram-api.js";

export interface Harness {
  api: FakeTelegram;
  core: Awaited<ReturnType<typeof makeCore>>;
  rt: TelegramRuntime;
  /** Feeds one update through the real bot (like the runner or the webhook would). */
  send: (update: unknown) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * A real core over the fixture knowledge, the real Telegram channel (grammY bot, sender, staff
 * notifier) pointed at a local fake Bot API server, wired like src/start.ts wires it.
 */
export async function telegramHarness(env: Record<string, string> = {}, opts: BotOptions = {}): Promise<Harness> {
  const api = await startFakeTelegram();
  const core = await makeCore({ TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, ...env });
  const rt = (await createTelegramChannel({ config: core.config, core, log: silentLog }, { botInfo: TEST_BOT, ...opts }))!;
  core.delivery.registerSender(rt.sender);
  if (rt.staffNotifier) core.delivery.registerNotifier(rt.staffNotifier);
  return {
    api,
    core,
    rt,
    // Staff notices go out after the reply, from the store's queue: wait for them too.
    send: async (u) => {
      await rt.bot.handleUpdate(u as Parameters<typeof rt.bot.handleUpdate>[0]);
      await core.delivery.noticesSent();
    },
    close: async () => {
      await rt.stop();
      await core.cleanup();
      await api.close();
    },
  };
}
