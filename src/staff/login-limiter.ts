import type { RateLimiter, Store } from "../store/store.js";

export interface LoginLimits {
  /** Failed attempts per account name per window. */
  perName: number;
  /** Attempts per client address per window; higher, since an office behind one NAT shares an address. */
  perIp: number;
  windowSec: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perName: 5, perIp: 20, windowSec: 15 * 60 };

/**
 * Counts each attempt before the password is checked (so parallel guesses cannot slip through) and
 * clears the account's counter after a successful login. The counters live in the store: every
 * instance sharing it counts together, and a restart does not hand out fresh tries.
 */
export class LoginLimiter {
  private byName: RateLimiter;
  private byIp: RateLimiter;

  constructor(store: Store, limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.byName = store.rateLimiter("staff-login-name", limits.perName, limits.windowSec);
    this.byIp = store.rateLimiter("staff-login-address", limits.perIp, limits.windowSec);
  }

  /** Returns the seconds to wait when blocked, undefined when the attempt may proceed. */
  async attempt(ip: string, name: string): Promise<number | undefined> {
    return (await this.byIp.take(ip)) ?? (await this.byName.take(name));
  }

  async succeeded(ip: string, name: string): Promise<void> {
    await this.byName.reset(name);
    // Only the point this login took: a correct password for one name must not buy guesses at others.
    await this.byIp.giveBack(ip);
  }
}
