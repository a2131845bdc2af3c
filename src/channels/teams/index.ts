import type { ChannelDeps, ChannelRuntime } from "../channel-runtime.js";

/** Microsoft Teams channel (@microsoft/teams-ai). Implemented in issue #5. */
export async function createTeamsChannel(_deps: ChannelDeps): Promise<ChannelRuntime | undefined> {
  return undefined;
}
