import type { TelegramDeps } from "./context.js";

/**
 * ACCESS_MODE=invite: only people who redeemed an invite code may ask. The core checks every question
 * itself; this covers the entry points that do not go through assistant.handle (/start, /mensch).
 */
export async function isAdmitted(deps: TelegramDeps, userId: number | undefined): Promise<boolean> {
  if (deps.config.accessMode !== "invite") return true;
  return userId !== undefined && (await deps.core.store.isMember("telegram", String(userId)));
}
