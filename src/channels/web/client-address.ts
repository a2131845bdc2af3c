import type { Context } from "hono";
import type { IncomingMessage } from "node:http";

/**
 * The address a request came from. X-Forwarded-For is read only when TRUST_PROXY says how many
 * reverse proxies stand in front: anyone can send that header, so only the entries our own proxies
 * appended count, taken from the right. Without a proxy setting it is the socket address.
 */
export function clientAddress(c: Context, trustedProxies: number): string {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? "unknown";
  return addressFrom(socket, c.req.header("x-forwarded-for"), trustedProxies);
}

export function addressFrom(socketAddress: string, forwardedFor: string | undefined, trustedProxies: number): string {
  if (trustedProxies <= 0 || !forwardedFor) return socketAddress;
  const hops = forwardedFor.split(",").map((s) => s.trim()).filter(Boolean);
  // The last proxy connected from socketAddress; each trusted proxy appended the address it saw.
  const chain = [...hops, socketAddress];
  const at = chain.length - 1 - trustedProxies;
  return chain[Math.max(0, at)] || socketAddress;
}
