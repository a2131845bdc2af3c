// Builds hnswlib's graph on its own thread while the main thread embeds the next passages and writes the
// lexical index and chunks.sqlite: at 100k passages the graph alone takes ~80 s, the rest ~55 s, so a build
// that waited for one before the other took ~140 s. Plain JavaScript so that it loads the same way under tsx,
// vitest and plain node. Messages arrive in order: batches of vectors (labels = passage positions), then "finish".
import { parentPort, workerData } from "node:worker_threads";
import hnswlib from "hnswlib-node";

const { space, dims, capacity, m, efConstruction, seed } = workerData;
const index = new hnswlib.HierarchicalNSW(space, dims);
index.initIndex(capacity, m, efConstruction, seed);
const started = performance.now();

parentPort.on("message", async (msg) => {
  try {
    if (msg.type === "add") {
      const { vectors, firstLabel, count } = msg;
      for (let i = 0; i < count; i++) index.addPoint(Array.from(vectors.subarray(i * dims, (i + 1) * dims)), firstLabel + i);
    } else if (msg.type === "finish") {
      await index.writeIndex(msg.file);
      parentPort.postMessage({ type: "done", ms: performance.now() - started });
    }
  } catch (err) {
    parentPort.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) });
  }
});
