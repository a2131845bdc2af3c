import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { Core } from "./app.js";
import type { ChannelRuntime } from "./channels/channel-runtime.js";

/** Periodic jobs (digest, hand-over reminders, retention purge). Filled in by issues #6–#8. */
export function startSchedulers(_deps: { config: Config; core: Core; channels: ChannelRuntime[]; log: Logger }): { stop: () => void } {
  return { stop: () => undefined };
}
