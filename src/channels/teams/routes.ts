import { Hono } from "hono";
import type { Application, TeamsAdapter, TurnState } from "@microsoft/teams-ai";
import type { Logger } from "pino";
import { z } from "zod";
import { processActivity, toResponse } from "./adapter-shim.js";
import type { ActivityInbox } from "./inbox.js";

/**
 * authenticated: Bot Framework JWTs are checked (MicrosoftAppId set).
 * unauthenticated: no app id, TEAMS_ALLOW_UNAUTHENTICATED=true (emulator, tests).
 * refusing: no app id and no flag: every request gets 401.
 */
export type AuthMode = "authenticated" | "unauthenticated" | "refusing";

const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => /^https?:\/\/[^\s]+$/i.test(s), "must be an http(s) URL");
const account = z.object({ id: z.string().min(1).max(512) }).passthrough();

/** Just what botbuilder and our handlers rely on; everything else passes through untouched. */
const InboundActivity = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: httpUrl,
    from: account,
    recipient: account,
    conversation: account,
    text: z.string().nullish(),
    name: z.string().max(256).nullish(),
    replyToId: z.string().max(512).nullish(),
    entities: z.array(z.object({ type: z.string() }).passthrough()).nullish(),
    membersAdded: z.array(account).nullish(),
    attachments: z.array(z.unknown()).nullish(),
  })
  .passthrough();

/**
 * Activities this instance is processing or has finished. Teams may deliver an activity twice when our
 * answer was slow; a copy of one still running here or finished here is acknowledged only.
 */
class RecentIds {
  private seen = new Map<string, true>();
  constructor(private max = 2000) {}
  has(key: string): boolean {
    return this.seen.has(key);
  }
  add(key: string): void {
    this.seen.set(key, true);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string);
  }
}

/** The Microsoft 365 tenant an activity comes from (Teams sets both fields; they agree). */
function tenantOf(activity: { conversation: Record<string, unknown>; channelData?: unknown }): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const id = typeof fromChannelData === "string" ? fromChannelData : activity.conversation.tenantId;
  return typeof id === "string" && id ? id.toLowerCase() : undefined;
}

export const REQUEST_ID_KEY = "ortslotse.requestId";

export interface TeamsRoutes {
  app: Hono;
  /** Waits for turns still running (graceful shutdown), at most `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

/** POST /api/messages: auth mode, body validation, then the adapter shim and the teams-ai Application. */
export function teamsRoutes(d: { mode: AuthMode; adapter: TeamsAdapter; application: Application<TurnState>; log: Logger; inbox?: ActivityInbox; allowedTenants?: string[] }): TeamsRoutes {
  const http = new Hono<{ Variables: { requestId: string } }>();
  const inFlight = new Set<Promise<unknown>>();
  const recent = new RecentIds();

  http.post("/", async (c) => {
    if (d.mode === "refusing") {
      return c.json({ error: "Teams ist nicht eingerichtet: MicrosoftAppId fehlt." }, 401);
    }
    const raw: unknown = await c.req.json().catch(() => undefined);
    const parsed = InboundActivity.safeParse(raw);
    if (!parsed.success) {
      d.log.warn({ issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) }, "malformed teams activity");
      return c.json({ error: "Ungültige Bot-Framework-Aktivität." }, 400);
    }
    const activity = parsed.data;
    if (d.allowedTenants?.length) {
      const tenant = tenantOf(activity);
      if (!tenant || !d.allowedTenants.includes(tenant)) {
        d.log.warn({ tenant }, "teams activity from a tenant not in TEAMS_ALLOWED_TENANTS refused");
        return c.json({ error: "Dieser Microsoft-365-Mandant ist nicht freigeschaltet." }, 403);
      }
    }
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (headers[k] = v));
    const requestId = c.get("requestId");
    let authenticated = false;
    const work = processActivity(d.adapter, { method: "POST", headers, body: activity }, async (ctx) => {
      authenticated = true;
      // Runs only after botbuilder authenticated the request, so only genuine activities count as seen.
      const key = activity.type === "message" && activity.id ? `${activity.conversation.id}|${activity.id}` : undefined;
      if (key) {
        // Memory first; then the store, so a retry that lands on another instance or after a restart is
        // caught too — unless its first run never finished, then it runs again.
        const delivery = recent.has(key) ? "done" : d.inbox ? await d.inbox.begin(key, activity) : "new";
        if (delivery === "done") {
          d.log.info({ type: activity.type }, "duplicate teams activity ignored");
          return;
        }
        if (delivery === "unfinished") d.log.warn({ type: activity.type }, "teams activity whose processing never finished (restart) is processed again");
        recent.add(key);
      }
      ctx.turnState.set(REQUEST_ID_KEY, requestId);
      await d.application.run(ctx);
      // Answered, handed over or told about a failure: done. A crash before this line leaves the entry.
      if (key && d.inbox) await d.inbox.finish(key).catch((err) => d.log.error({ err }, "teams inbox entry not removed"));
    });
    inFlight.add(work);
    try {
      const result = await work;
      if (result.status === 401 || result.status === 403) {
        d.log.warn({ status: result.status }, "teams request not authenticated");
        return c.json({ error: "Nicht angemeldet." }, result.status);
      }
      if (result.status >= 500 && !authenticated && d.mode === "authenticated") {
        // botbuilder fails with 500 when it cannot fetch the sign-in keys: an unchecked token is still not a valid one.
        d.log.error({ status: result.status, detail: String(result.body ?? "").slice(0, 300) }, "teams sign-in could not be checked; request refused");
        return c.json({ error: "Nicht angemeldet." }, 401);
      }
      if (result.status === 501) {
        d.log.info({ type: activity.type, name: activity.name }, "teams activity not handled (501)");
        return toResponse(result);
      }
      if (result.status >= 500) {
        // botbuilder puts the raw error message in the body; it stays in our log, not in the response.
        d.log.error({ status: result.status, detail: String(result.body ?? "").slice(0, 300) }, "teams activity failed");
        return c.json({ error: "Interner Fehler." }, 500);
      }
      return toResponse(result);
    } finally {
      inFlight.delete(work);
    }
  });

  return {
    app: http as unknown as Hono,
    drain: async (timeoutMs) => {
      if (!inFlight.size) return;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    },
  };
}
