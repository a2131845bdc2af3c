import type { Store } from "../../store/store.js";

export type Delivery = "new" | "unfinished" | "done";

/**
 * Teams activities kept in the store while they are processed. Teams sends an activity again when it got
 * no answer (slow turn, a crash): a copy whose processing finished is acknowledged only; a copy whose first
 * run never finished (the process died) is processed again — at least once, never lost.
 */
export interface ActivityInbox {
  begin(key: string, activity: unknown): Promise<Delivery>;
  finish(key: string): Promise<void>;
}

/** The store's inbox table: one atomic claim per activity (no window between "seen" and "kept"). */
export function storeInbox(store: Store): ActivityInbox {
  return {
    begin: (key, activity) => store.beginUpdate("teams", key, JSON.stringify(activity)),
    finish: (key) => store.finishUpdate("teams", key),
  };
}
