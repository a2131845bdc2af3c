import { maxRssMb } from "./memory.js";

/**
 * One benchmark step in its own process (started by child.ts): a fresh heap and a fresh peak-RSS
 * counter for every measurement, and the builds' memory never counts against the serving figures.
 * Modules are imported per task, so a search worker does not carry the channel libraries in its RSS.
 */
type Request = { task: string; args: any };

const send = (msg: unknown) => new Promise<void>((resolve) => process.send!(msg, () => resolve()));

async function run(req: Request): Promise<unknown> {
  const a = req.args;
  switch (req.task) {
    case "ingest":
      return (await import("./ingest-bench.js")).runIngestBench(a);
    case "e2e":
      return (await import("./e2e-bench.js")).runE2eBench(a);
    case "build":
      return (await import("./retrieval-bench.js")).buildSyntheticIndex(a);
    case "peer-build":
      return (await import("./peer.js")).buildPeer(a.workDir);
    case "hybrid":
      return (await import("./retrieval-bench.js")).measureHybrid(a);
    case "ann":
      return (await import("./retrieval-bench.js")).measureAnn(a);
    case "telegram": {
      const app = await (await import("./load-bench.js")).startTelegramApp(a);
      const stopped = new Promise<void>((resolve) => process.on("message", (m: { type?: string }) => m?.type === "stop" && resolve()));
      await send({ type: "ready" });
      await stopped;
      await app.stop();
      return { peakRssMb: maxRssMb() };
    }
    default:
      throw new Error(`unbekannte Aufgabe ${req.task}`);
  }
}

// The bench that started us is gone (Ctrl-C, crash): do not linger.
process.on("disconnect", () => process.exit(1));

process.once("message", (req: Request) => {
  run(req)
    .then((result) => send({ type: "result", result }))
    .catch((err: Error) => send({ type: "error", message: err.stack ?? String(err) }))
    .finally(() => process.exit(0));
});
