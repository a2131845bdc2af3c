import { Hono, type Context } from "hono";
import { clientAddress } from "./channels/web/client-address.js";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { requestId } from "hono/request-id";
import { serve, type ServerType } from "@hono/node-server";
import type { Logger } from "pino";
import type { AddressInfo, Socket } from "node:net";

export interface HealthInfo {
  chunks: () => number;
  channels: () => Record<string, boolean>;
  /** What does not work right now (storage, index), in words an operator can act on; empty when healthy. */
  problems?: () => Promise<string[]>;
}

/** Largest request body accepted anywhere (Teams activities and Telegram updates are far smaller). */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** The one route that takes files: a newsletter upload in /staff (login and form token checked there). */
export const UPLOAD_PATH = "/staff/wissen/vorschau";

/** The one HTTP app: health, web chat, Teams, Telegram webhook and staff pages mount into it. */
export function createServer(deps: { log: Logger; health: HealthInfo; mounts: { path: string; app: Hono }[]; trustProxy?: number }): Hono {
  const app = new Hono();
  app.use("*", requestId());
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // Scripts only from our own files (/chat.js, /staff/ticket.js): an injected inline script does not run.
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: "same-origin",
    }),
  );
  const small = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: "Anfrage zu groß." }, 413) });
  // Staff upload newsletters (a PDF of a few MB); everything else stays small.
  const upload = bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: (c) => c.html(UPLOAD_TOO_LARGE_PAGE, 413) });
  app.use("*", (c, next) => (c.req.path === UPLOAD_PATH ? upload(c, next) : small(c, next)));
  app.get("/health", async (c) => {
    const problems = (await deps.health.problems?.()) ?? [];
    // Which channels run and how big the index is helps an operator on the machine, not a stranger.
    const details = onThisMachine(c, deps.trustProxy ?? 0) ? { chunks: deps.health.chunks(), channels: deps.health.channels() } : {};
    const body = { status: problems.length ? "error" : "ok", ...details, ...(problems.length ? { problems } : {}) };
    return c.json(body, problems.length ? 503 : 200);
  });
  for (const m of deps.mounts) app.route(m.path, m.app);
  // A person who typed a wrong address reads a page, a program calling the API reads JSON.
  app.notFound((c) =>
    (c.req.header("accept") ?? "").includes("text/html")
      ? c.html(NOT_FOUND_PAGE, 404)
      : c.json({ error: "Nicht gefunden." }, 404));
  app.onError((err, c) => {
    deps.log.error({ err, path: c.req.path, requestId: c.get("requestId") }, "unhandled HTTP error");
    return c.json({ error: "Interner Fehler. Bitte versuchen Sie es später noch einmal." }, 500);
  });
  return app;
}

export interface ConnectionLimits {
  /** Whole request (headers and body) must arrive within this; slow senders are cut off. */
  requestTimeoutMs: number;
  /** Open connections one address may hold; 0 = no cap (a trusted reverse proxy does its own limiting). */
  perAddress: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { requestTimeoutMs: 30_000, perAddress: 50 };

/** All connections together: bounds memory whatever the addresses are. */
const MAX_CONNECTIONS = 2_000;

/** A request from this machine itself, not one a local reverse proxy passed on (that one sets X-Forwarded-For). */
function onThisMachine(c: Context, trustProxy: number): boolean {
  if (c.req.header("x-forwarded-for") !== undefined || c.req.header("forwarded") !== undefined) return false;
  const address = clientAddress(c, trustProxy);
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

export async function listen(
  app: Hono,
  port: number,
  host: string,
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
): Promise<{ server: ServerType; port: number; close: (graceMs?: number) => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const serverOptions = {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 15_000),
      keepAliveTimeout: 5_000,
      // Node checks the timeouts above only this often; the default (30 s) would let slow bodies live a minute.
      connectionsCheckingInterval: Math.min(1_000, limits.requestTimeoutMs),
    };
    const server = serve({ fetch: app.fetch, port, hostname: host, serverOptions }, (info: AddressInfo) => {
      resolve({
        server,
        port: info.port,
        // Stop accepting, let in-flight requests finish (drain), then cut what is left after the grace period.
        close: (graceMs = 10_000) =>
          new Promise<void>((res) => {
            const s = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
            const timer = setTimeout(() => s.closeAllConnections?.(), graceMs);
            server.close(() => {
              clearTimeout(timer);
              res();
            });
            s.closeIdleConnections?.();
          }),
      });
    });
    server.on("error", reject);
    (server as { maxConnections?: number }).maxConnections = MAX_CONNECTIONS;
    if (limits.perAddress > 0) capPerAddress(server, limits.perAddress);
  });
}

/** Refuses a new connection from an address that already holds `cap` open ones. */
function capPerAddress(server: ServerType, cap: number): void {
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const n = (open.get(address) ?? 0) + 1;
    if (n > cap) {
      socket.destroy();
      return;
    }
    open.set(address, n);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/** A page of its own for the few answers given before any route (no menu, no session needed). */
function plainPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – Ortslotse</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d2733}a{color:#1f4e79}</style></head>
<body>${body}</body></html>`;
}

const NOT_FOUND_PAGE = plainPage(
  "Seite nicht gefunden",
  `<h1>Diese Seite gibt es nicht</h1><p>Vielleicht hat sich in der Adresse ein Tippfehler eingeschlichen.</p>
<p><a href="/">Zum Ortslotsen (Fragen stellen)</a> · <a href="/staff">Für das Team der Kreisverwaltung</a></p>`,
);

// The body limit answers before the staff routes run, so this page cannot show the staff menu; the link leads back.
const UPLOAD_TOO_LARGE_PAGE = plainPage(
  "Datei zu groß",
  `<h1>Die Datei ist zu groß</h1><p>Der Ortslotse liest Dateien bis ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Nichts wurde geändert.</p>
<p>Ein Newsletter als HTML-Datei (im E-Mail-Programm „Speichern unter“) ist meist viel kleiner als ein PDF mit Bildern.</p>
<p><a href="/staff/wissen">Zurück zu „Wissen“</a></p>`,
);
