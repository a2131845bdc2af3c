import { randomBytes } from "node:crypto";
import type { Store } from "./store.js";

/**
 * A signing secret generated once and kept in the store, so restarts and every instance sharing the
 * store agree on it. The first writer wins; the others read its value.
 */
export function storedSecret(store: Store, key: string): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= (async () => {
      const fresh = randomBytes(32).toString("base64url");
      const value = await store.updateState(key, (current) => current ?? fresh);
      return value ?? fresh;
    })();
    pending.catch(() => (pending = undefined));
    return pending;
  };
}
