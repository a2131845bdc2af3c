import type { Hono } from "hono";
import type { ChannelDeps, ChannelRuntime } from "../channel-runtime.js";
import { WebSender, webChatRoutes } from "./web-chat.js";

/** The built-in web chat, a channel like Telegram and Teams: its routes, and a sender that queues for the next visit. */
export async function createWebChannel({ config, core }: ChannelDeps): Promise<ChannelRuntime> {
  const routes = webChatRoutes({
    assistant: core.assistant, store: core.store, secureCookies: Boolean(config.publicUrl?.startsWith("https")),
    // A Gemeinde office may share one address among a few people: five times the per-person limit.
    questionsPerAddressPerMinute: config.rateLimitPerMinute * 5,
    trustProxy: config.trustProxy,
  });
  return {
    name: "web",
    mounts: [{ path: "/", app: routes as unknown as Hono }],
    sender: new WebSender(core.store),
    start: async () => undefined,
    stop: async () => undefined,
  };
}
