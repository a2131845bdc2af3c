import type { ChannelDeps, ChannelRuntime } from "../channel-runtime.js";

/** Telegram channel (grammY). Implemented in issue #4. */
export async function createTelegramChannel(_deps: ChannelDeps): Promise<ChannelRuntime | undefined> {
  return undefined;
}
