import type { TeamsAdapter } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";

/** The request as botbuilder reads it (express/restify style): method, lower-cased headers, parsed body. */
export interface ShimRequest {
  method: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface ShimResult {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * The one adapter between our HTTP server (Hono, fetch Request/Response) and botbuilder's
 * `process(req, res, logic)`, which wants an express-style response: status(), header(), send(), end().
 * botbuilder calls them in that order once the turn is over; we collect them into a plain result.
 */
export async function processActivity(
  adapter: TeamsAdapter,
  req: ShimRequest,
  logic: (ctx: TurnContext) => Promise<void>,
): Promise<ShimResult> {
  const result: ShimResult = { status: 200, headers: {} };
  const res = {
    socket: undefined,
    status(code: number) {
      result.status = code;
      return res;
    },
    header(name: string, value: unknown) {
      result.headers[name.toLowerCase()] = String(value);
      return res;
    },
    send(body?: unknown) {
      result.body = body;
      return res;
    },
    end() {
      return res;
    },
  };
  await adapter.process(req, res, logic);
  return result;
}

/** Turns a shim result into a fetch Response; invoke responses carry a JSON body. */
export function toResponse(r: ShimResult): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(r.headers)) headers.set(k, v);
  if (r.body === undefined || r.body === null || r.status === 204 || r.status === 304) return new Response(null, { status: r.status, headers });
  if (typeof r.body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain; charset=utf-8");
    return new Response(r.body, { status: r.status, headers });
  }
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(r.body), { status: r.status, headers });
}
