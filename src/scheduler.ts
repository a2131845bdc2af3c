import { Cron } from "croner";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { Core } from "./app.js";
import type { ChannelRuntime } from "./channels/channel-runtime.js";
import { runDigest } from "./digest/run-digest.js";
import { isoWeek } from "./time.js";
import { purgeTransientState } from "./core/transient-state.js";

/**
 * Periodic jobs with croner (time zone aware, daylight saving handled): the weekly digest, hand-over
 * reminders and the retention purge. `protect` keeps a slow run from overlapping the next one.
 */
export function startSchedulers(deps: { config: Config; core: Core; channels: ChannelRuntime[]; log: Logger }): { stop: () => void } {
  const { config, core, log } = deps;
  // Several instances may share one database: only the one that claims the period runs the job.
  const guard = (name: string, period: () => string, fn: () => Promise<unknown>) => async () => {
    try {
      if (!(await core.store.claimJobRun(name, period()))) return;
      await fn();
    } catch (err) {
      log.error({ err, job: name }, "scheduled job failed");
    }
  };
  const retention = guard("retention", () => new Date().toISOString().slice(0, 10), async () => {
    const expired = await core.handover.expireStale(config.retentionDays);
    const removed = await core.handover.purgeExpired(config.retentionDays);
    const transient = await purgeTransientState(core.store);
    log.info({ removed, expired, transient, retentionDays: config.retentionDays }, "retention purge");
  });
  // No croner `name`s: croner keeps them in one process-wide registry, so a second app in the same
  // process (the two-instance test) could not start.
  const jobs = [
    new Cron(config.digest.cron, { timezone: config.digest.timezone, protect: true }, guard("digest", () => isoWeek(new Date().toISOString()), () => runDigest(core))),
    new Cron("15 * * * *", { timezone: config.digest.timezone, protect: true },
      guard("reminders", () => new Date().toISOString().slice(0, 13), async () => {
        await core.handover.remindOverdue(config.handoverRemindHours);
        // Notices a dead peer had claimed are free again after a minute; pick them up hourly at the latest.
        core.delivery.sendQueued();
      })),
    new Cron("30 3 * * *", { timezone: config.digest.timezone, protect: true }, retention),
  ];
  // Also at start: a night the server was down is caught up at once, not a day later.
  void retention();
  return { stop: () => jobs.forEach((j) => j.stop()) };
}
