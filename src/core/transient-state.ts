import type { StateStore } from "../store/store.js";
import type { ChannelName } from "./types.js";

/**
 * Short-lived entries in the shared key-value state, each JSON with the time it was written (`at`, ms). They are
 * useless after their age and were never deleted otherwise: a Förder-Finder search waiting for "who applies"
 * (its key names the person) and a staff member's upload preview (the whole newsletter file).
 */
export const TRANSIENT = {
  /** A Förder-Finder search waiting for who applies: `funding-pending:<channel>:<conversation>:<user>`. */
  fundingPending: { prefix: "funding-pending:", maxAgeMs: 60 * 60_000 },
  /** A newsletter upload between preview and publishing, and afterwards the note that it was published. */
  uploadPreview: { prefix: "knowledge:upload:", maxAgeMs: 24 * 60 * 60_000 },
} as const;

export function fundingPendingKey(channel: ChannelName, conversationId: string, userId: string): string {
  return `${TRANSIENT.fundingPending.prefix}${channel}:${conversationId}:${userId}`;
}

/** Still within its age (an entry without a readable time counts as expired). */
export function isFresh(kind: keyof typeof TRANSIENT, value: { at?: unknown }, now = Date.now()): boolean {
  return typeof value.at === "number" && now - value.at < TRANSIENT[kind].maxAgeMs;
}

/** Deletes every transient entry past its age; returns how many. */
export async function purgeTransientState(store: Pick<StateStore, "listState" | "deleteState">, now = Date.now()): Promise<number> {
  let n = 0;
  for (const kind of Object.keys(TRANSIENT) as (keyof typeof TRANSIENT)[]) {
    for (const { key, value } of await store.listState(TRANSIENT[kind].prefix)) {
      let parsed: { at?: unknown } = {};
      try {
        parsed = JSON.parse(value) as { at?: unknown };
      } catch {
        // Unreadable: expired.
      }
      if (!isFresh(kind, parsed ?? {}, now)) {
        await store.deleteState(key);
        n++;
      }
    }
  }
  return n;
}

/** A person's transient entries in one channel (their "/loeschen"): the pending Förder-Finder searches, in any chat. */
export async function forgetTransientState(store: Pick<StateStore, "listState" | "deleteState">, channel: ChannelName, userId: string): Promise<number> {
  const mine = (await store.listState(`${TRANSIENT.fundingPending.prefix}${channel}:`)).filter(({ key }) => key.endsWith(`:${userId}`));
  for (const { key } of mine) await store.deleteState(key);
  return mine.length;
}
