import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface LoginLimits {
  /** Failed attempts per account name per window. */
  perName: number;
  /** Attempts per client IP per window; higher, since an office behind one NAT or proxy shares an address. */
  perIp: number;
  windowSec: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perName: 5, perIp: 20, windowSec: 15 * 60 };

/**
 * Counts each attempt before the password is checked (so parallel guesses cannot slip through) and
 * gives the points back after a successful login. In memory: a restart resets the counters, which
 * costs an attacker more than it gains (scrypt keeps each guess slow anyway).
 */
export class LoginLimiter {
  private byName: RateLimiterMemory;
  private byIp: RateLimiterMemory;

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.byName = new RateLimiterMemory({ keyPrefix: "staff-login-name", points: limits.perName, duration: limits.windowSec });
    this.byIp = new RateLimiterMemory({ keyPrefix: "staff-login-ip", points: limits.perIp, duration: limits.windowSec });
  }

  /** Returns the seconds to wait when blocked, undefined when the attempt may proceed. */
  async attempt(ip: string, name: string): Promise<number | undefined> {
    try {
      await this.byIp.consume(ip);
      await this.byName.consume(name);
      return undefined;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw res;
    }
  }

  async succeeded(ip: string, name: string): Promise<void> {
    await this.byName.delete(name);
    await this.byIp.reward(ip, 1);
  }
}
