import { randomBytes } from "node:crypto";
import type { Store } from "../../../store/store.js";

/** Staff sessions end after 8 hours (one working day), whatever happens in between. */
export const SESSION_TTL_MS = 8 * 3600_000;
const SECRET_KEY = "staff:sessionSecret";
const sessionsKey = (name: string) => `staff:sessions:${name}`;

interface SessionRecord {
  sid: string;
  exp: number;
  csrf: string;
}

export interface StaffSession {
  name: string;
  sid: string;
  csrf: string;
}

const token = () => randomBytes(24).toString("base64url");

/**
 * Server-side session list per account, kept in the store's key-value state (no extra table): the
 * cookie holds only "name:sid", HMAC-signed. Logging out, changing the password or `staff reset`
 * removes sessions here, so a copied cookie stops working at once.
 */
export class StaffSessions {
  private secretPromise?: Promise<string>;

  constructor(private store: Store, private ttlMs = SESSION_TTL_MS) {}

  /** The cookie-signing secret: generated once, kept in the store so restarts keep sessions valid. */
  secret(): Promise<string> {
    this.secretPromise ??= (async () => {
      const existing = await this.store.getState(SECRET_KEY);
      if (existing) return existing;
      const fresh = randomBytes(32).toString("base64url");
      await this.store.setState(SECRET_KEY, fresh);
      return fresh;
    })();
    this.secretPromise.catch(() => (this.secretPromise = undefined));
    return this.secretPromise;
  }

  private async load(name: string, now = Date.now()): Promise<SessionRecord[]> {
    const raw = await this.store.getState(sessionsKey(name));
    if (!raw) return [];
    try {
      const list = JSON.parse(raw) as SessionRecord[];
      return Array.isArray(list) ? list.filter((s) => typeof s?.sid === "string" && s.exp > now) : [];
    } catch {
      // A damaged entry only costs the staff member a new login; nothing to recover.
      return [];
    }
  }

  private save(name: string, list: SessionRecord[]): Promise<void> {
    return this.store.setState(sessionsKey(name), JSON.stringify(list));
  }

  async create(name: string): Promise<{ cookieValue: string; session: StaffSession }> {
    const rec: SessionRecord = { sid: token(), exp: Date.now() + this.ttlMs, csrf: token() };
    // Keep at most 10 parallel sessions per account (laptop, phone, …); the oldest go first.
    const list = [...(await this.load(name)), rec].slice(-10);
    await this.save(name, list);
    return { cookieValue: `${name}:${rec.sid}`, session: { name, sid: rec.sid, csrf: rec.csrf } };
  }

  /** The session behind a (signature-checked) cookie value, if it still exists and has not expired. */
  async resolve(cookieValue: string): Promise<StaffSession | undefined> {
    const i = cookieValue.lastIndexOf(":");
    if (i <= 0) return undefined;
    const name = cookieValue.slice(0, i);
    const sid = cookieValue.slice(i + 1);
    const rec = (await this.load(name)).find((s) => s.sid === sid);
    return rec ? { name, sid, csrf: rec.csrf } : undefined;
  }

  async revoke(name: string, sid: string): Promise<void> {
    await this.save(name, (await this.load(name)).filter((s) => s.sid !== sid));
  }

  /** Ends every session of an account (password reset), or all but the current one (password change). */
  async revokeAll(name: string, exceptSid?: string): Promise<void> {
    await this.save(name, exceptSid ? (await this.load(name)).filter((s) => s.sid === exceptSid) : []);
  }
}
