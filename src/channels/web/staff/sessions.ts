import { randomBytes } from "node:crypto";
import type { Store } from "../../../store/store.js";
import { storedSecret } from "../../../store/stored-secret.js";

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
  constructor(private store: Store, private ttlMs = SESSION_TTL_MS) {
    this.secret = storedSecret(store, SECRET_KEY);
  }

  /** The cookie-signing secret: generated once, kept in the store so restarts keep sessions valid. */
  readonly secret: () => Promise<string>;

  private async load(name: string): Promise<SessionRecord[]> {
    return parseSessions(await this.store.getState(sessionsKey(name)));
  }

  /** Read-modify-write in one store transaction: a login and a logout at the same moment cannot undo each other. */
  private async change(name: string, fn: (list: SessionRecord[]) => SessionRecord[]): Promise<void> {
    await this.store.updateState(sessionsKey(name), (raw) => {
      const next = fn(parseSessions(raw));
      return next.length ? JSON.stringify(next) : undefined;
    });
  }

  async create(name: string): Promise<{ cookieValue: string; session: StaffSession }> {
    const rec: SessionRecord = { sid: token(), exp: Date.now() + this.ttlMs, csrf: token() };
    // Keep at most 10 parallel sessions per account (laptop, phone, …); the oldest go first.
    await this.change(name, (list) => [...list, rec].slice(-10));
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
    await this.change(name, (list) => list.filter((s) => s.sid !== sid));
  }

  /** Ends every session of an account (password reset), or all but the current one (password change). */
  async revokeAll(name: string, exceptSid?: string): Promise<void> {
    await this.change(name, (list) => (exceptSid ? list.filter((s) => s.sid === exceptSid) : []));
  }
}

function parseSessions(raw: string | undefined, now = Date.now()): SessionRecord[] {
  if (!raw) return [];
  try {
    const list = JSON.parse(raw) as SessionRecord[];
    return Array.isArray(list) ? list.filter((s) => typeof s?.sid === "string" && s.exp > now) : [];
  } catch {
    // A damaged entry only costs the staff member a new login; nothing to recover.
    return [];
  }
}
