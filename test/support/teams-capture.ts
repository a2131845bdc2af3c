import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One call the bot made to the Bot Framework connector (our fake serviceUrl). */
export interface ConnectorCall {
  method: string;
  path: string;
  /** Decoded conversation id from /v3/conversations/{id}/activities[/{activityId}]. */
  conversationId?: string;
  /** The activity id in the path: the replied-to activity (POST) or the updated one (PUT). */
  activityId?: string;
  body: any;
}

export interface TeamsCapture {
  /** serviceUrl for activities, with the trailing slash the Bot Framework uses. */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** Messages (not typing indicators) the bot sent, optionally into one conversation. */
  messages(conversationId?: string): ConnectorCall[];
  /** Card updates (PUT …/activities/{id}). */
  updates(conversationId?: string): ConnectorCall[];
  /** Answer calls into conversations matching `re` with this status (e.g. 403 = bot removed). */
  failFor(re: RegExp, status: number, code?: string): void;
  /** Never answer the next `times` message calls into conversations matching `re` (a turn that hangs). */
  hangFor(re: RegExp, times?: number): void;
  clear(): void;
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/;

/**
 * A stand-in for the Bot Framework connector service on loopback: records every call and answers
 * {"id":"r1"} (the shape botbuilder expects), or a configured error. See /work/shared/testing.md.
 */
export async function startTeamsCapture(): Promise<TeamsCapture> {
  const calls: ConnectorCall[] = [];
  const failures: { re: RegExp; status: number; code?: string }[] = [];
  const hangs: { re: RegExp; left: number }[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      const path = req.url ?? "";
      const m = ACTIVITIES.exec(path);
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const call: ConnectorCall = {
        method: req.method ?? "",
        path,
        conversationId: m ? decodeURIComponent(m[1]) : undefined,
        activityId: m?.[2] ? decodeURIComponent(m[2]) : undefined,
        body,
      };
      calls.push(call);
      const hang = hangs.find((h) => h.left > 0 && call.body?.type === "message" && call.conversationId && h.re.test(call.conversationId));
      if (hang) {
        hang.left -= 1;
        return;
      }
      const fail = failures.find((f) => call.conversationId && f.re.test(call.conversationId));
      res.setHeader("content-type", "application/json");
      if (fail) {
        res.statusCode = fail.status;
        res.end(JSON.stringify({ error: { code: fail.code ?? "Failure", message: "simulated" } }));
        return;
      }
      n += 1;
      res.end(JSON.stringify({ id: `r${n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const isMessage = (c: ConnectorCall) => c.method === "POST" && c.body?.type === "message";
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    messages: (id) => calls.filter((c) => isMessage(c) && (!id || c.conversationId === id)),
    updates: (id) => calls.filter((c) => c.method === "PUT" && (!id || c.conversationId === id)),
    failFor: (re, status, code) => failures.push({ re, status, code }),
    hangFor: (re, times = 1) => hangs.push({ re, left: times }),
    clear: () => {
      calls.length = 0;
      failures.length = 0;
      hangs.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let seq = 0;

/** A Bot Framework activity as Teams sends it; override what the test is about. */
export function teamsActivity(serviceUrl: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    type: "message",
    id: `a${seq}-${Date.now()}`,
    channelId: "msteams",
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: "29:u1", name: "OB Test", aadObjectId: "aad-u1" },
    recipient: { id: "28:bot", name: "Ortslotse" },
    conversation: { id: "a:personal-1", conversationType: "personal", tenantId: "t1" },
    locale: "de-DE",
    ...over,
  };
}

/** A group chat or channel message that @mentions the bot, as Teams formats it. */
export function mentionActivity(serviceUrl: string, text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return teamsActivity(serviceUrl, {
    text: `<at>Ortslotse</at> ${text}`,
    entities: [{ type: "mention", text: "<at>Ortslotse</at>", mentioned: { id: "28:bot", name: "Ortslotse" } }],
    conversation: { id: "19:group-1@thread.v2", conversationType: "groupChat", isGroup: true, tenantId: "t1" },
    ...over,
  });
}

export async function postActivity(baseUrl: string, activity: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof activity === "string" ? activity : JSON.stringify(activity),
  });
}

/** The first Adaptive Card of a sent activity. */
export function cardOf(call: ConnectorCall | undefined): any {
  return call?.body?.attachments?.find((a: any) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content;
}

/** All texts of the card's TextBlocks, joined by newlines. */
export function cardText(card: any): string {
  const out: string[] = [];
  const walk = (els: any[] | undefined) => {
    for (const e of els ?? []) {
      if (e.type === "TextBlock") out.push(e.text);
      if (e.type === "FactSet") for (const f of e.facts) out.push(`${f.title}: ${f.value}`);
      walk(e.items);
      walk(e.columns);
    }
  };
  walk(card?.body);
  return out.join("\n");
}
