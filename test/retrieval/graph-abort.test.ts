import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";

describe("giving up an index build while the graph grows", () => {
  // worker.terminate() inside hnswlib's addPoint threw from native code during shutdown and aborted the whole
  // process ("FATAL ERROR: Napi::Error::ThrowAsJavaScriptException") - in production the server with it.
  it("ends the graph thread cleanly and keeps the process alive, round after round", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "test/fixtures/abort-graph.mts", "8"], { encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).not.toMatch(/FATAL/);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("8");
  });
});
