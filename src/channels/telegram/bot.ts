import { Api, Bot, type BotError, type Transformer } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { autoRetry, type AutoRetryOptions } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { sequentialize } from "@grammyjs/runner";
import type { Logger } from "pino";
import type { BotContext, TelegramDeps } from "./context.js";
import { InFlight, UpdateDeduplicator } from "./dedupe.js";
import { T } from "./texts.js";
import { answerCallback } from "./features/callbacks.js";
import { startFeature } from "./features/start.js";
import { helpFeature } from "./features/help.js";
import { topicsFeature } from "./features/topics.js";
import { fundingFeature } from "./features/funding.js";
import { askFeature } from "./features/ask.js";
import { feedbackFeature } from "./features/feedback.js";
import { staffFeature } from "./features/staff.js";
import { digestFeature } from "./features/digest.js";
import { privacyFeature } from "./features/privacy.js";
import { unhandledFeature } from "./features/unhandled.js";

/**
 * Bounded retries: auto-retry's defaults retry forever, and an update that is not acknowledged in time
 * is re-sent by Telegram. Three attempts on 429 and 5xx, never waiting more than 30 s for a 429's
 * retry_after. Network errors (HttpError) are rethrown: auto-retry would retry those without any
 * limit, holding the chat's queue; the callers keep the question (ticket) or retry themselves
 * (the runner's getUpdates loop, the digest delivery).
 */
export const RETRY: AutoRetryOptions = { maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowInternalServerErrors: false, rethrowHttpErrors: true };

export interface BotOptions {
  /** Skips getMe (tests, or a known bot). */
  botInfo?: UserFromGetMe;
  /** Overrides for auto-retry (tests shorten the 5xx backoff this way). */
  retry?: Partial<AutoRetryOptions>;
  /** How many update ids the duplicate filter remembers. */
  dedupeSize?: number;
}

/** Logs every Bot API call that finally failed (after retries): method and error, never the payload. */
function logFailures(log: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (!res.ok) log.warn({ method, error_code: res.error_code, description: res.description }, "Bot API call failed");
    return res;
  };
}

/**
 * The Api for bulk and later sends (staff answers, digests, staff chat posts): throttled to Telegram's
 * limits (about 30 messages a second overall, 20 a minute per group), then retried within bounds.
 */
export function createBulkApi(deps: Pick<TelegramDeps, "token" | "apiRoot" | "log">, retry: Partial<AutoRetryOptions> = {}): Api {
  const api = new Api(deps.token, { apiRoot: deps.apiRoot });
  api.config.use(apiThrottler());
  api.config.use(autoRetry({ ...RETRY, ...retry }));
  api.config.use(logFailures(deps.log));
  return api;
}

/**
 * The grammY bot: duplicate filter, per-update logger and in-flight count first, then one feature
 * Composer after another inside one error boundary. The staff chat comes first (its messages are
 * never mayors' questions), unknown things last.
 */
/** Inbox key of an update: zero-padded, so the inbox lists in arrival order. */

export function createBot(deps: TelegramDeps, opts: BotOptions = {}): { bot: Bot<BotContext>; inFlight: InFlight; replayInbox: () => Promise<number> } {
  const bot = new Bot<BotContext>(deps.token, { client: { apiRoot: deps.apiRoot }, botInfo: opts.botInfo });
  bot.api.config.use(autoRetry({ ...RETRY, ...opts.retry }));
  bot.api.config.use(logFailures(deps.log));

  const seen = new UpdateDeduplicator(opts.dedupeSize);
  const inFlight = new InFlight();
  const store = deps.core.store;
  // Updates from the inbox after a crash: already claimed by the process that died, processed once more.
  const replaying = new Set<number>();
  // Polling: getUpdates' next call acknowledges this batch to Telegram, so each update is kept in the inbox
  // before the runner sees it. A crash mid-answer then ends in a reply once the process is back.
  bot.api.config.use(async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (method === "getUpdates" && res.ok) for (const u of res.result as Update[]) await store.keepUpdate("telegram", String(u.update_id), JSON.stringify(u));
    return res;
  });
  bot.use(async (ctx, next) => {
    const updateId = ctx.update.update_id;
    const replay = replaying.delete(updateId);
    // Memory first (cheap); then the shared store, so a webhook retry that lands on another instance
    // behind the same address is not answered twice.
    // The claim also keeps the update (webhook: before the webhook is answered; polling: kept already).
    if (!replay && (!seen.firstTime(updateId) || !(await store.claimUpdate("telegram", String(updateId), JSON.stringify(ctx.update))))) {
      deps.log.info({ update_id: updateId }, "duplicate update ignored");
      return;
    }
    ctx.log = deps.log.child({ update_id: updateId, ...(replay ? { replayed: true } : {}) });
    try {
      // Other bots are not mayors (and two bots answering each other never stop). Anonymous group
      // admins post through a bot account "as the group" (sender_chat): those are people.
      if (ctx.message?.from?.is_bot && !ctx.message.sender_chat) return;
      await inFlight.track(next());
    } finally {
      // Answered, handed over or failed with a message to the mayor: done either way.
      await store.finishUpdate("telegram", String(updateId)).catch((err) => ctx.log.error({ err }, "inbox entry not finished"));
    }
  });
  // Updates run concurrently (runner, webhook), but one chat's messages in order: a follow-up question
  // must see the answer to the question before it.
  bot.use(sequentialize((ctx: BotContext) => (ctx.chat ? String(ctx.chat.id) : ctx.from ? `u${ctx.from.id}` : undefined)));

  bot.errorBoundary(
    (err) => onError(err, deps.log),
    staffFeature(deps),
    startFeature(deps),
    helpFeature(),
    topicsFeature(deps),
    fundingFeature(deps),
    privacyFeature(deps),
    digestFeature(deps),
    feedbackFeature(deps),
    askFeature(deps),
    unhandledFeature(deps),
  );
  bot.catch((err) => deps.log.error({ err: err.error, update_id: err.ctx.update.update_id }, "Telegram update failed outside the error boundary"));
  /**
   * Processes what a crashed process left in the inbox: updates it had taken (and Telegram considers
   * delivered) but not finished. Called once before polling starts or the webhook is set.
   */
  const replayInbox = async (): Promise<number> => {
    const left = await store.unfinishedUpdates("telegram");
    for (const { key, payload } of left) {
      let update: Update;
      try {
        update = JSON.parse(payload) as Update;
      } catch {
        await store.finishUpdate("telegram", key);
        continue;
      }
      replaying.add(update.update_id);
      seen.firstTime(update.update_id);
      deps.log.warn({ update_id: update.update_id }, "answering an update left unfinished before a restart");
      await bot.handleUpdate(update).catch((err) => deps.log.error({ err, update_id: update.update_id }, "replayed update failed"));
    }
    return left.length;
  };
  return { bot, inFlight, replayInbox };
}

/** One catch for every feature: log with update_id; in private chats tell the person in German. */
async function onError(err: BotError<BotContext>, log: Logger): Promise<void> {
  const ctx = err.ctx;
  (ctx.log ?? log).error({ err: err.error, update_id: ctx.update.update_id }, "Telegram update failed");
  try {
    if (ctx.callbackQuery) await answerCallback(ctx);
    if (ctx.chat?.type === "private" && (ctx.message || ctx.callbackQuery)) await ctx.api.sendMessage(ctx.chat.id, T.error);
  } catch (e) {
    (ctx.log ?? log).warn({ err: e, update_id: ctx.update.update_id }, "error notice could not be sent");
  }
}
