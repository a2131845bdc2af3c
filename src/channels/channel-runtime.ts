import type { Hono } from "hono";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Core } from "../app.js";
import type { Sender, StaffNotifier } from "../core/ports.js";

/** What a started channel gives the composition root. */
export interface ChannelRuntime {
  name: "web" | "telegram" | "teams";
  /** HTTP routes to mount on the one server (e.g. /api/messages, the Telegram webhook). */
  mounts: { path: string; app: Hono }[];
  /** False when the channel is mounted but refuses all traffic (e.g. Teams without credentials). */
  serving?: boolean;
  sender: Sender;
  staffNotifier?: StaffNotifier;
  /** Called after the HTTP server listens (start polling, register commands, set webhook). */
  start(): Promise<void>;
  /** Drains in-flight work and stops. */
  stop(): Promise<void>;
}

export interface ChannelDeps {
  config: Config;
  core: Core;
  log: Logger;
}
