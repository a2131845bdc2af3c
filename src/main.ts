import { configFromEnvironment } from "./cli/load-env.js";
import { createLogger } from "./logger.js";
import { startOrtslotse } from "./start.js";
import { explainStartFailure } from "./cli/start-failure.js";

/** Composition root for `npm start`: config → core → HTTP server and channels → scheduler. */
async function main() {
  const config = configFromEnvironment({}, { needsKnowledge: true });
  const log = createLogger(config.logLevel, process.stdout);
  let app: Awaited<ReturnType<typeof startOrtslotse>>;
  try {
    app = await startOrtslotse(config, log);
  } catch (err) {
    const known = explainStartFailure(err, config);
    if (!known) throw err;
    log.debug({ err }, "start failed");
    process.stderr.write(`Ortslotse konnte nicht starten: ${known.message}\n`);
    process.exit(known.exitCode);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await app.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  process.stderr.write(`Ortslotse konnte nicht starten: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
