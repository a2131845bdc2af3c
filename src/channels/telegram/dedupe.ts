/**
 * Remembers the last `size` update ids. Telegram re-sends an update it thinks was not received
 * (webhook timeout, a restart mid-batch); the second copy must not produce a second answer.
 */
export class UpdateDeduplicator {
  private seen = new Map<number, true>();

  constructor(private size = 10_000) {}

  /** True the first time an id is seen, false for repeats. */
  firstTime(updateId: number): boolean {
    if (this.seen.has(updateId)) return false;
    this.seen.set(updateId, true);
    // Maps iterate in insertion order: the first key is the oldest.
    if (this.seen.size > this.size) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }
}

/** Counts updates being processed, so stop() can wait for them (SIGTERM must not cut an answer off). */
export class InFlight {
  private count = 0;
  private idle: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  async track<T>(work: Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work;
    } finally {
      this.count--;
      if (this.count === 0) for (const r of this.idle.splice(0)) r();
    }
  }

  /** Resolves true when nothing is in flight, false if `timeoutMs` passed first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
