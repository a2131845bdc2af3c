import type { Logger } from "pino";
import type { Hono } from "hono";
import type { Config } from "./config.js";
import { createCore, type Core } from "./app.js";
import { createServer, listen } from "./server.js";
import { createWebChannel } from "./channels/web/index.js";
import { createTelegramChannel } from "./channels/telegram/index.js";
import { createTeamsChannel } from "./channels/teams/index.js";
import type { ChannelRuntime } from "./channels/channel-runtime.js";
import { createStaffArea } from "./staff/index.js";
import { startSchedulers } from "./scheduler.js";

export interface RunningApp {
  core: Core;
  port: number;
  channels: ChannelRuntime[];
  stop: () => Promise<void>;
}

/** Starts everything the configuration enables; used by main.ts and by end-to-end tests. */
export async function startOrtslotse(config: Config, log: Logger): Promise<RunningApp> {
  const core = await createCore(config, log);
  const enabled: Record<string, boolean> = { web: true, telegram: false, teams: false };
  const mounts: { path: string; app: Hono }[] = [];
  const staff = createStaffArea({ config, core, log: log.child({ area: "staff" }) });
  mounts.push(...staff.mounts);

  const runtimes: ChannelRuntime[] = [];
  // The web chat last: it owns "/".
  for (const create of [createTelegramChannel, createTeamsChannel, createWebChannel]) {
    const rt = await create({ config, core, log: log.child({ channel: create.name }) });
    if (!rt) continue;
    runtimes.push(rt);
    enabled[rt.name] = rt.serving ?? true;
    mounts.push(...rt.mounts);
    core.delivery.registerSender(rt.sender);
    if (rt.staffNotifier) core.delivery.registerNotifier(rt.staffNotifier);
  }


  const problems = async (): Promise<string[]> => {
    const out: string[] = [];
    if (core.retriever.size === 0) out.push("Wissensindex ist leer: KNOWLEDGE_DIR prüfen und npm run ingest ausführen");
    try {
      // A write, not a read: a full disk or a read-only database shows here before a mayor's question is lost.
      await core.store.setState("health:probe", new Date().toISOString());
    } catch (err) {
      out.push(`Speicher nicht beschreibbar: ${(err as Error).message}`);
    }
    return out;
  };
  const app = createServer({ log, health: { chunks: () => core.retriever.size, channels: () => enabled, problems }, mounts, trustProxy: config.trustProxy });
  const http = await listen(app, config.port, config.host, config.http);
  for (const rt of runtimes) await rt.start();
  // Staff notices a crash left in the queue go out now.
  core.delivery.sendQueued({ takeOver: true });
  const schedulers = startSchedulers({ config, core, channels: runtimes, log: log.child({ module: "scheduler" }) });
  // Knowledge another instance published: answered here within KNOWLEDGE_POLL_SECONDS, without a restart.
  core.knowledge.startPolling(config.knowledgePollSeconds);
  log.info({ port: http.port, channels: enabled, chunks: core.retriever.size, llm: Boolean(config.llm) }, "Ortslotse started");

  return {
    core,
    port: http.port,
    channels: runtimes,
    stop: async () => {
      schedulers.stop();
      core.knowledge.stop();
      // Channels first: they drain in-flight messages, which still need the store.
      for (const rt of [...runtimes].reverse()) await rt.stop().catch((err) => log.error({ err, channel: rt.name }, "channel stop failed"));
      // Notices still queued stay in the store for the next start if sending takes too long.
      await Promise.race([core.delivery.noticesSent(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      await http.close();
      await core.store.close();
    },
  };
}
