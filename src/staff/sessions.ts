import { randomBytes } from "node:crypto";
import type { Store } from "../store/store.js";
import { storedSecret } from "../store/stored-secret.js";

/** Staff sessions end after 8 hours (one working day), whatever happens in between. */
export const SESSION_TTL_MS = 8 * 3600_000;
const SECRET_KEY = "staff:sessionSecret";
/** Parallel sessions per account (laptop, phone, …); the oldest go first. */
const MAX_SESSIONS = 10;

export interface StaffSession {
  name: string;
  sid: string;
  csrf: string;
}

const token = () => randomBytes(24).toString("base64url");

/**
 * Server-side sessions (table staff_sessions): the cookie holds only "name:sid", HMAC-signed. Logging
 * out, changing the password or `staff reset` removes sessions there, so a copied cookie stops working at once.
 */
export class StaffSessions {
  constructor(private store: Store, private ttlMs = SESSION_TTL_MS) {
    this.secret = storedSecret(store, SECRET_KEY);
  }

  /** The cookie-signing secret: generated once, kept in the store so restarts keep sessions valid. */
  readonly secret: () => Promise<string>;

  async create(name: string): Promise<{ cookieValue: string; session: StaffSession }> {
    const sid = token();
    const csrf = token();
    await this.store.addStaffSession({ sid, name, csrf, expiresAt: new Date(Date.now() + this.ttlMs).toISOString() }, MAX_SESSIONS);
    return { cookieValue: `${name}:${sid}`, session: { name, sid, csrf } };
  }

  /** The session behind a (signature-checked) cookie value, if it still exists and has not expired. */
  async resolve(cookieValue: string): Promise<StaffSession | undefined> {
    const i = cookieValue.lastIndexOf(":");
    if (i <= 0) return undefined;
    const name = cookieValue.slice(0, i);
    const sid = cookieValue.slice(i + 1);
    const rec = await this.store.getStaffSession(name, sid);
    return rec ? { name, sid, csrf: rec.csrf } : undefined;
  }

  async revoke(name: string, sid: string): Promise<void> {
    await this.store.deleteStaffSessions(name, { sid });
  }

  /** Ends every session of an account (password reset), or all but the current one (password change). */
  async revokeAll(name: string, exceptSid?: string): Promise<void> {
    await this.store.deleteStaffSessions(name, exceptSid ? { exceptSid } : {});
  }
}
