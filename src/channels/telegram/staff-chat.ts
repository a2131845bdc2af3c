import type { Api } from "grammy";
import type { Logger } from "pino";

/** Member statuses that count as "in the staff chat". */
const MEMBER = new Set(["creator", "administrator", "member"]);
/** How long a positive membership check is trusted (a removed colleague loses access within this time). */
const MEMBER_CACHE_MS = 5 * 60_000;

/**
 * The Telegram group where staff see tickets (TELEGRAM_STAFF_CHAT_ID: numeric id like -100…, or
 * @username). Staff = members of that chat; Telegram tells us with getChatMember.
 */
/** The Telegram staff chat's notifier name (an answer written there is not announced there again). */
export const STAFF_CHAT_NOTIFIER = "telegram-staff-chat";

export class StaffChat {
  private cache = new Map<number, number>();
  /** Tickets whose answer is being relayed from the staff chat right now (confirmed there directly). */

  constructor(readonly chatId: string, private log: Logger) {}

  /** Is this chat the staff chat? */
  matches(chat: { id: number; username?: string } | undefined): boolean {
    if (!chat) return false;
    return String(chat.id) === this.chatId || (chat.username !== undefined && `@${chat.username}`.toLowerCase() === this.chatId.toLowerCase());
  }

  /** Asks Telegram whether the user is a member of the staff chat; unknown (API failure) counts as no. */
  async isMember(api: Api, userId: number): Promise<boolean> {
    const until = this.cache.get(userId);
    if (until && until > Date.now()) return true;
    try {
      const m = await api.getChatMember(this.chatId, userId);
      const ok = MEMBER.has(m.status) || (m.status === "restricted" && m.is_member);
      if (ok) this.cache.set(userId, Date.now() + MEMBER_CACHE_MS);
      else this.cache.delete(userId);
      return ok;
    } catch (err) {
      this.log.warn({ err, userId }, "staff membership check failed");
      return false;
    }
  }
}
