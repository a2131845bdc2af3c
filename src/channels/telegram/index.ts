import { GrammyError, type Bot } from "grammy";
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { ChannelDeps, ChannelRuntime } from "../channel-runtime.js";
import { createBot, createBulkApi, type BotOptions } from "./bot.js";
import type { BotContext, TelegramDeps } from "./context.js";
import { StaffChat } from "./staff-chat.js";
import { TelegramStaffNotifier } from "./staff-notifier.js";
import { TelegramSender } from "./sender.js";
import { OpenAITranscriber } from "./transcriber.js";
import { webhookRoutes } from "./webhook.js";
import { COMMANDS, GROUP_COMMANDS } from "./texts.js";
import { payloadFreeLogger } from "./errors.js";

export const DEFAULT_API_ROOT = "https://api.telegram.org";

/** The update types Ortslotse reads; edited messages and channel posts are not even fetched. */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** How long stop() waits for updates still being answered. */
const DRAIN_MS = 15_000;
/** Retry interval when Telegram is unreachable at start-up. */
const START_RETRY_MS = 30_000;

export interface TelegramRuntime extends ChannelRuntime {
  name: "telegram";
  bot: Bot<BotContext>;
  mode: "polling" | "webhook";
}

/**
 * Telegram channel (issue #4, staff chat of #6): a grammY bot over the core. Long polling with
 * @grammyjs/runner by default; with TELEGRAM_WEBHOOK_URL a webhook route on the shared HTTP server.
 * Returns undefined when TELEGRAM_BOT_TOKEN is not set.
 */
export async function createTelegramChannel(channelDeps: ChannelDeps, options: BotOptions = {}): Promise<TelegramRuntime | undefined> {
  const { config, core } = channelDeps;
  // Every Telegram log line goes through this: Bot API errors carry message texts in their payload.
  const log = payloadFreeLogger(channelDeps.log);
  const tg = config.telegram;
  if (!tg) return undefined;

  const staff = tg.staffChatId ? new StaffChat(tg.staffChatId, log.child({ part: "staff-chat" })) : undefined;
  const deps: TelegramDeps = {
    core,
    config,
    log,
    token: tg.token,
    apiRoot: tg.apiRoot ?? DEFAULT_API_ROOT,
    staff,
    transcriber:
      config.transcriptionModel && config.llm
        ? new OpenAITranscriber({ apiKey: config.llm.apiKey, baseURL: config.llm.baseURL, model: config.transcriptionModel, timeoutMs: config.llm.timeoutMs, maxRetries: config.llm.maxRetries })
        : undefined,
  };

  const { bot, inFlight, replayInbox } = createBot(deps, options);
  const bulkApi = createBulkApi(deps, options.retry);
  const sender = new TelegramSender(bulkApi, log.child({ part: "sender" }));
  const staffNotifier = staff ? new TelegramStaffNotifier(bulkApi, staff, core.store, log.child({ part: "staff-notifier" })) : undefined;

  const mode = tg.webhookUrl ? "webhook" : "polling";
  // The route is the path of the public webhook URL (e.g. https://bot.example.org/telegram → /telegram).
  const mounts = tg.webhookUrl ? [{ path: new URL(tg.webhookUrl).pathname.replace(/\/+$/, "") || "/", app: webhookRoutes(bot, tg.webhookSecret ?? "") }] : [];

  let runner: RunnerHandle | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const registerCommands = async () => {
    try {
      await bot.api.setMyCommands([...COMMANDS]);
      // In groups the personal-data commands are left out of the menu (they answer only in private).
      await bot.api.setMyCommands([...GROUP_COMMANDS], { scope: { type: "all_group_chats" } });
    } catch (err) {
      log.warn({ err }, "setMyCommands failed; the command menu may be outdated");
    }
  };

  const connect = async (): Promise<void> => {
    await bot.init();
    await registerCommands();
    // Questions a crash interrupted are answered before new ones are taken.
    await replayInbox();
    if (mode === "webhook") {
      await bot.api.setWebhook(tg.webhookUrl!, { secret_token: tg.webhookSecret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 40 });
      log.info({ mode, username: bot.botInfo.username }, "Telegram webhook set");
      return;
    }
    // A webhook left over from an earlier deployment would make getUpdates fail with 409.
    await bot.api.deleteWebhook();
    runner = run(bot, {
      runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: 30 }, silent: true },
      sink: { concurrency: 50 },
    });
    runner.task()?.catch((err) => log.error({ err }, "Telegram polling stopped (another instance polling with the same token?)"));
    log.info({ mode, username: bot.botInfo.username }, "Telegram polling started");
  };

  const start = async (): Promise<void> => {
    try {
      await connect();
    } catch (err) {
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
        throw new Error("TELEGRAM_BOT_TOKEN: Telegram lehnt den Token ab (401/404). Bitte den Token bei @BotFather prüfen.", { cause: err });
      }
      // Telegram unreachable: the rest of Ortslotse (web chat, Teams, /staff) keeps running; try again.
      log.error({ err, retryInMs: START_RETRY_MS }, "Telegram not reachable at start-up; retrying");
      const retry = () => {
        retryTimer = setTimeout(() => {
          if (stopped) return;
          connect().catch((e) => {
            log.error({ err: e }, "Telegram still not reachable");
            retry();
          });
        }, START_RETRY_MS);
        retryTimer.unref();
      };
      retry();
    }
  };

  const stop = async (): Promise<void> => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    await runner?.stop();
    // The webhook stays set on purpose: Telegram keeps updates while we restart.
    if (!(await inFlight.drain(DRAIN_MS))) log.warn({ inFlight: inFlight.size }, "Telegram updates still in flight at shutdown");
  };

  return { name: "telegram", mode, bot, mounts, sender, staffNotifier, start, stop };
}
