import { Cron } from "croner";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { Core } from "./app.js";
import type { ChannelRuntime } from "./channels/channel-runtime.js";
import { runDigest } from "./digest/run-digest.js";

/**
 * Periodic jobs with croner (time zone aware, daylight saving handled): the weekly digest, hand-over
 * reminders and the retention purge. `protect` keeps a slow run from overlapping the next one.
 */
export function startSchedulers(deps: { config: Config; core: Core; channels: ChannelRuntime[]; log: Logger }): { stop: () => void } {
  const { config, core, log } = deps;
  const guard = (name: string, fn: () => Promise<unknown>) => async () => {
    try {
      await fn();
    } catch (err) {
      log.error({ err, job: name }, "scheduled job failed");
    }
  };
  const jobs = [
    new Cron(config.digest.cron, { timezone: config.digest.timezone, protect: true, name: "digest" }, guard("digest", () => runDigest(core))),
    new Cron("15 * * * *", { timezone: config.digest.timezone, protect: true, name: "handover-reminders" },
      guard("reminders", () => core.handover.remindOverdue(config.handoverRemindHours))),
    new Cron("30 3 * * *", { timezone: config.digest.timezone, protect: true, name: "retention" }, guard("retention", async () => {
      const removed = await core.store.purgeOlderThan(new Date(Date.now() - config.retentionDays * 86_400_000).toISOString());
      log.info({ removed, retentionDays: config.retentionDays }, "retention purge");
    })),
  ];
  return { stop: () => jobs.forEach((j) => j.stop()) };
}
