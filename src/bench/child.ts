import { fork } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export interface WorkerHandle<T> {
  result: Promise<T>;
  /** Resolves when the worker reports an event (e.g. "ready"). */
  once(event: string): Promise<void>;
  send(msg: unknown): void;
}

/**
 * Runs one task of worker.ts in a new Node process (tsx loader, --expose-gc for settled RSS figures,
 * a heap limit for the big builds). The worker's stdout and stderr go to our stderr, so `--json`
 * output stays clean. The worker is killed when it exceeds `timeoutMs`.
 */
export function startWorker<T>(task: string, args: unknown, opts: { timeoutMs: number; heapMb?: number }): WorkerHandle<T> {
  const child = fork(WORKER, [], {
    cwd: REPO_ROOT,
    // The V8 flags `npm start` runs with (package.json, config.v8_flags), so the figures are the server's.
    execArgv: [...(process.env.npm_package_config_v8_flags ?? "").split(" ").filter(Boolean), "--import", "tsx", "--expose-gc", ...(opts.heapMb ? [`--max-old-space-size=${opts.heapMb}`] : [])],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  child.stdout?.pipe(process.stderr);
  child.stderr?.pipe(process.stderr);
  const waiters = new Map<string, (() => void)[]>();
  const result = new Promise<T>((resolvePromise, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      child.kill("SIGKILL");
      reject(new Error(`Benchmark-Schritt "${task}" nach ${Math.round(opts.timeoutMs / 1000)} s abgebrochen`));
    }, opts.timeoutMs);
    child.on("message", (m: { type: string; result?: T; message?: string }) => {
      if (m.type === "result" && !done) {
        done = true;
        clearTimeout(timer);
        resolvePromise(m.result as T);
      } else if (m.type === "error" && !done) {
        done = true;
        clearTimeout(timer);
        reject(new Error(`Benchmark-Schritt "${task}" fehlgeschlagen: ${m.message}`));
      } else {
        for (const w of waiters.get(m.type) ?? []) w();
        waiters.delete(m.type);
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!done) {
        done = true;
        reject(new Error(`Benchmark-Schritt "${task}" ohne Ergebnis beendet (${signal ?? `Exit-Code ${code}`})`));
      }
    });
  });
  child.send({ task, args });
  return {
    result,
    once: (event) =>
      Promise.race([
        new Promise<void>((r) => waiters.set(event, [...(waiters.get(event) ?? []), r])),
        result.then(() => {
          throw new Error(`Benchmark-Schritt "${task}" endete vor "${event}"`);
        }),
      ]),
    send: (msg) => child.send(msg as object),
  };
}

export function runWorker<T>(task: string, args: unknown, opts: { timeoutMs: number; heapMb?: number }): Promise<T> {
  return startWorker<T>(task, args, opts).result;
}
