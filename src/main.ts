import { configFromEnvironment } from "./cli/load-env.js";
import { createLogger } from "./logger.js";
import { startOrtslotse } from "./start.js";
import { explainStartFailure } from "./cli/start-failure.js";

/** Composition root for `npm start`: config → core → HTTP server and channels → scheduler. */
async function main() {
  // Taken before the (slow) start: npm may already be gone when the server is up.
  const npmParent = process.env.npm_lifecycle_event === "start" ? process.ppid : undefined;
  const config = configFromEnvironment({}, { needsKnowledge: true });
  const log = createLogger(config.logLevel, process.stdout);
  let app: Awaited<ReturnType<typeof startOrtslotse>> | undefined;
  let stopping = false;
  let stopAfterStart: string | undefined;
  const stop = async (signal: string) => {
    // A signal while starting (the start logs "started" before channels and scheduler are up) waits for the
    // start, then stops gracefully: without a handler yet, Node would end the process on the spot.
    if (!app) {
      // A second Ctrl+C during a long first start (the index is built) ends it at once; nothing is half-written.
      if (stopAfterStart) process.exit(130);
      stopAfterStart = signal;
      process.stderr.write("Ortslotse wird beendet, sobald der Start fertig ist (noch einmal Strg+C: sofort).\n");
      return;
    }
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await app.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  try {
    app = await startOrtslotse(config, log);
  } catch (err) {
    const known = explainStartFailure(err, config);
    if (!known) throw err;
    log.debug({ err }, "start failed");
    process.stderr.write(`Ortslotse konnte nicht starten: ${known.message}\n`);
    process.exit(known.exitCode);
  }
  if (stopAfterStart) return void stop(stopAfterStart);
  // Started by `npm start`: if npm itself is killed (even with SIGKILL, which it cannot pass on), the
  // server must not live on unseen. An orphan is re-parented; that change ends it the same graceful way.
  if (npmParent !== undefined) {
    const check = () => process.ppid !== npmParent && void stop("npm-gone");
    check();
    setInterval(check, 2000).unref();
  }
  // The log is JSON for machines; the person who typed `npm start` gets one plain line.
  const host = ["0.0.0.0", "::", "127.0.0.1", "::1"].includes(config.host) ? "localhost" : config.host;
  process.stderr.write(`Ortslotse läuft: http://${host}:${app.port}/ (Web-Chat), /staff (Team). Beenden mit Strg+C.\n`);
}

main().catch((err) => {
  process.stderr.write(`Ortslotse konnte nicht starten: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
