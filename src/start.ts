import type { Logger } from "pino";
import type { Config } from "./config.js";
import { createCore, type Core } from "./app.js";
import { createServer, listen } from "./server.js";
import { WebSender, webChatRoutes } from "./channels/web/web-chat.js";
import type { Hono } from "hono";

export interface RunningApp {
  core: Core;
  port: number;
  stop: () => Promise<void>;
}

/** Starts everything the configuration enables; used by main.ts and by end-to-end tests. */
export async function startOrtslotse(config: Config, log: Logger): Promise<RunningApp> {
  const core = await createCore(config, log);
  const channels: Record<string, boolean> = { web: true, telegram: false, teams: false };
  const mounts: { path: string; app: Hono }[] = [];
  core.handover.registerSender(new WebSender(core.store));
  const stoppers: (() => Promise<void>)[] = [];

  mounts.push({ path: "/", app: webChatRoutes({ assistant: core.assistant, store: core.store, secureCookies: Boolean(config.publicUrl?.startsWith("https")) }) });

  const app = createServer({ log, health: { chunks: () => core.retriever.size, channels: () => channels }, mounts });
  const http = await listen(app, config.port, config.host);
  log.info({ port: http.port, channels, chunks: core.retriever.size, llm: Boolean(config.llm) }, "Ortslotse started");

  return {
    core,
    port: http.port,
    stop: async () => {
      for (const s of stoppers.reverse()) await s().catch((err) => log.error({ err }, "stop failed"));
      await http.close();
      await core.store.close();
    },
  };
}
