import type { Hono } from "hono";
import type { ChannelDeps } from "../channels/channel-runtime.js";
import { staffRoutes } from "./routes.js";

/** The protected /staff area (issue #6): login, tickets, answers, FAQ drafts, Wissenslücken. */
export function createStaffArea(deps: ChannelDeps): { mounts: { path: string; app: Hono }[] } {
  return { mounts: [{ path: "/staff", app: staffRoutes(deps) as unknown as Hono }] };
}
