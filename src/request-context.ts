import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The request id of the message being handled, carried through every await: the logger adds it to each
 * line, so one question can be followed from the channel through the core to its Vorgang.
 */
const context = new AsyncLocalStorage<{ requestId: string }>();

export function withRequestId<T>(requestId: string | undefined, fn: () => Promise<T>): Promise<T> {
  return requestId ? context.run({ requestId }, fn) : fn();
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}
