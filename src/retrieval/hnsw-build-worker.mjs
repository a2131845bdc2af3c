// Builds hnswlib's graph on its own thread while the main thread reads and embeds the next passages and then
// writes the lexical index and chunks.sqlite: at 100k passages the graph alone takes ~80 s, the rest ~55 s, so a
// build that waited for one before the other took ~140 s. Plain JavaScript so that it loads the same way under
// tsx, vitest and plain node. Messages arrive in order: batches of vectors (labels = passage positions), then
// "finish" with the file to write.
import { parentPort, workerData } from "node:worker_threads";
import hnswlib from "hnswlib-node";

const { space, dims, m, efConstruction, seed, stop } = workerData;
// Set by the main thread when the build is abandoned. Terminating the thread while it is inside addPoint
// throws from native code during shutdown, which aborts the whole process (server included); the thread
// therefore checks this flag between points and ends itself from JavaScript.
const stopped = new Int32Array(stop);
const index = new hnswlib.HierarchicalNSW(space, dims);
// The number of passages is known only at the end: the graph grows as needed and is trimmed before it is written.
let capacity = 4096;
index.initIndex(capacity, m, efConstruction, seed);
let count = 0;
// One array refilled for every vector: hnswlib-node reads plain arrays only.
const point = new Array(dims).fill(0);

parentPort.on("message", async (msg) => {
  try {
    if (msg.type === "stop" || Atomics.load(stopped, 0)) process.exit(0); // in a worker: ends this thread only
    if (msg.type === "add") {
      const { vectors, firstLabel, count: n } = msg;
      if (firstLabel + n > capacity) {
        capacity = Math.max(2 * capacity, firstLabel + n);
        index.resizeIndex(capacity);
      }
      for (let i = 0; i < n; i++) {
        if (Atomics.load(stopped, 0)) process.exit(0);
        for (let j = 0; j < dims; j++) point[j] = vectors[i * dims + j];
        index.addPoint(point, firstLabel + i);
      }
      count = Math.max(count, firstLabel + n);
    } else if (msg.type === "finish") {
      if (count < capacity) index.resizeIndex(count);
      await index.writeIndex(msg.file);
      parentPort.postMessage({ type: "done" });
    }
  } catch (err) {
    parentPort.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) });
  }
});
