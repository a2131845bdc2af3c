import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const MB = 1024 * 1024;

/** Resident set size now, in MiB. */
export function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

/** Peak resident set size of this process so far, in MiB (`maxRSS` is reported in KiB). */
export function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs a full garbage collection when the process was started with --expose-gc (the bench workers are). */
export function settle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** RSS after a full GC, so a delta measures what stays, not garbage that has not been collected yet. */
export function settledRssMb(): number {
  settle();
  return rssMb();
}

export function fileMb(path: string): number {
  try {
    return statSync(path).size / MB;
  } catch {
    return 0;
  }
}

/** Total size of the files under a folder, in MiB. */
export function dirMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else bytes += statSync(p).size;
    }
  };
  try {
    walk(dir);
  } catch {
    return 0;
  }
  return bytes / MB;
}
