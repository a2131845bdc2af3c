import type { Hono } from "hono";
import type { ChannelDeps } from "../../channel-runtime.js";

/** The protected /staff area. Implemented in issue #6. */
export function createStaffArea(_deps: ChannelDeps): { mounts: { path: string; app: Hono }[] } {
  return { mounts: [] };
}
