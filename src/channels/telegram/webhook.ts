import { Hono } from "hono";
import { webhookCallback, type Bot } from "grammy";
import type { BotContext } from "./context.js";

/**
 * How long Telegram's webhook request is held while the update is processed. After that we answer
 * 200 and keep working: Telegram would otherwise re-send the update (the duplicate filter catches
 * it anyway), and an LLM answer can take longer than this.
 */
export const WEBHOOK_ACK_MS = 5_000;

/** The Telegram webhook route: grammY checks X-Telegram-Bot-Api-Secret-Token in constant time (401 otherwise). */
export function webhookRoutes(bot: Bot<BotContext>, secretToken: string): Hono {
  const app = new Hono();
  const handle = webhookCallback(bot, "hono", { secretToken, onTimeout: "return", timeoutMilliseconds: WEBHOOK_ACK_MS });
  app.post("/", (c) => handle(c));
  return app;
}
