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

const inboxKey = (key: string) => `teams:inbox:${key}`;

export function storeInbox(store: Store): ActivityInbox {
  return {
    async begin(key, activity) {
      if ((await store.getState(inboxKey(key))) !== undefined) return "unfinished";
      // The claim marks the activity as seen for every instance; the inbox entry says it is not done yet.
      // A crash in the instant between the two leaves a claim without an entry: that copy counts as done.
      if (!(await store.claimJobRun("teams-activity", key))) return "done";
      await store.setState(inboxKey(key), JSON.stringify(activity));
      return "new";
    },
    async finish(key) {
      await store.deleteState(inboxKey(key));
    },
  };
}
