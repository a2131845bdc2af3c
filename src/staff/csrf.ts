import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";

export const CSRF_FIELD = "_csrf";

export function newCsrfToken(): string {
  return randomBytes(24).toString("base64url");
}

export function sameToken(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string" || !a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Second line of defence next to the form token: a browser's POST carries Origin (and Sec-Fetch-Site);
 * when present they must name this site. Behind a reverse proxy the public host comes from PUBLIC_URL.
 */
export function crossSiteRequest(c: Context, publicUrl?: string): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = c.req.header("origin");
  if (origin === undefined) return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // "null" or garbage: not our page
  }
  const allowed = new Set<string>();
  const own = c.req.header("host");
  if (own) allowed.add(own.toLowerCase());
  if (publicUrl) allowed.add(new URL(publicUrl).host.toLowerCase());
  return !allowed.has(host.toLowerCase());
}
