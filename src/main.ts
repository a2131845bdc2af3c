import { configFromEnvironment } from "./cli/load-env.js";
import { createLogger } from "./logger.js";
import { startOrtslotse } from "./start.js";

/** Composition root for `npm start`: config → core → HTTP server and channels → scheduler. */
async function main() {
  const config = configFromEnvironment({}, { needsKnowledge: true });
  const log = createLogger(config.logLevel, process.stdout);
  const app = await startOrtslotse(config, log);
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
