import { Hono, type Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { ChannelDeps } from "../channels/channel-runtime.js";
import type { TicketStatus } from "../store/store.js";
import { IngestError } from "../retrieval/ingest-error.js";
import { dummyPasswordHash, hashPassword, MAX_PASSWORD_LENGTH, newPasswordProblem, normalizeStaffName, verifyPassword } from "./auth.js";
import { CSRF_FIELD, crossSiteRequest, newCsrfToken, sameToken } from "./csrf.js";
import { LoginLimiter, type LoginLimits } from "./login-limiter.js";
import { clientAddress } from "../channels/web/client-address.js";
import { SESSION_TTL_MS, StaffSessions, type StaffSession } from "./sessions.js";
import { editedFaq, faqDraftProblems, faqFields, parseTopics, prepareFaq, suggestFaqDraft, type FaqDraft } from "./faq-draft.js";
import { knowledgeGaps } from "./gaps.js";
import { channelLabel, todayIso } from "./format.js";
import { loginPage, passwordPage } from "./pages/login.js";
import { answerNotSentPage, messagePage, STAFF_SCRIPT } from "./pages/layout.js";
import { MAX_SEARCH_LENGTH, PAGE_SIZE, SEARCH_LIMIT, ticketListPage } from "./pages/tickets.js";
import { TICKET_SCRIPT, ticketPage, type TicketPageOptions } from "./pages/ticket.js";
import { gapsPage } from "./pages/gaps.js";
import { faqEditorPage, knowledgePage, programmeEditorPage, uploadPreviewPage } from "./pages/knowledge.js";
import { draftFromFunding, draftFromSection, editedProgramme, formProblem, FUNDING_HEADING, newProgramme, programmeDraftFrom, programmeDraftProblems, programmeFields, programmeIdFor, programmeNameOf } from "./programme-draft.js";
import { ProgrammeError } from "../funding/programmes.js";
import { deadlineOf } from "../funding/finder.js";
import { readFile } from "node:fs/promises";
import { join as joinPath } from "node:path";
import { knowledgeFileName, previewUpload, readKnowledgeFile } from "./knowledge-upload.js";
import { PUBLISHABLE_PATH } from "../knowledge/published.js";
import { randomBytes } from "node:crypto";
import { digestPage } from "./pages/digest.js";
import { currentDigest } from "../digest/run-digest.js";
import { nextDigestRun } from "../digest/digest-command.js";
import { isFresh, TRANSIENT } from "../core/transient-state.js";

const SESSION_COOKIE = "ortslotse_staff";
const LOGIN_COOKIE = "ortslotse_staff_login";
const MAX_ANSWER_CHARS = 3500;

type StaffEnv = { Variables: { staff: StaffSession & { mustChange: boolean } } };

export interface StaffRoutesOptions {
  loginLimits?: LoginLimits;
}

/** Only local paths inside /staff: a crafted ?next= must never send staff to another site. */
export function safeNext(value: unknown): string {
  if (typeof value !== "string" || value.length > 500 || !value.startsWith("/") || /[\\\u0000-\u001f]/.test(value)) return "/staff";
  if (value.startsWith("//")) return "/staff";
  let u: URL;
  try {
    u = new URL(value, "http://staff.invalid");
  } catch {
    return "/staff";
  }
  if (u.origin !== "http://staff.invalid" || !/^\/staff(\/|$)/.test(u.pathname) || u.pathname.startsWith("/staff/login")) return "/staff";
  return u.pathname + u.search;
}

/** A form field as text: browsers send a textarea's line breaks as CRLF; the rest of the app reads "\n" (a sign-off before "\r\n" stayed in FAQ drafts). */
const str = (v: unknown, max = 20_000) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n").slice(0, max) : "");


/** The protected staff area: login, ticket list and detail with answer/close/FAQ draft, Wissenslücken. */
export function staffRoutes(deps: ChannelDeps, opts: StaffRoutesOptions = {}): Hono<StaffEnv> {
  const { config, core, log } = deps;
  const store = core.store;
  const sessions = new StaffSessions(store);
  const limiter = new LoginLimiter(store, opts.loginLimits);
  const tz = config.digest.timezone;
  const secure = Boolean(config.publicUrl?.startsWith("https"));
  // Over https the __Host- prefix: the browser keeps such a cookie only from this exact host, Secure, for path /.
  const prefix = secure ? ("host" as const) : undefined;
  const cookieBase = { httpOnly: true, sameSite: "Strict", secure, path: secure ? "/" : "/staff", prefix } as const;
  const app = new Hono<StaffEnv>();

  app.onError((err, c) => {
    log.error({ err, path: c.req.path, requestId: c.get("requestId" as never) }, "staff page failed");
    return c.html(messagePage("Fehler", "Da ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal; der Fehler wurde protokolliert."), 500);
  });

  app.use("*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
    c.header("X-Robots-Tag", "noindex, nofollow");
  });

  app.use("*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && crossSiteRequest(c, config.publicUrl)) {
      log.warn({ path: c.req.path, origin: c.req.header("origin") }, "staff: cross-site POST refused");
      return c.html(messagePage("Anfrage abgelehnt", "Dieses Formular kam nicht von dieser Seite. Bitte öffnen Sie die Seite neu und versuchen Sie es noch einmal."), 403);
    }
    await next();
  });

  const renderLogin = async (c: Context, status: 200 | 401 | 403 | 429, o: { next: string; name?: string; error?: string; info?: string }) => {
    const secret = await sessions.secret();
    let token = await getSignedCookie(c, secret, LOGIN_COOKIE, prefix);
    if (!token) {
      token = newCsrfToken();
      await setSignedCookie(c, LOGIN_COOKIE, token, secret, { ...cookieBase, maxAge: 3600 });
    }
    return c.html(loginPage({ csrf: token, ...o }), status);
  };

  const currentSession = async (c: Context): Promise<StaffSession | undefined> => {
    const value = await getSignedCookie(c, await sessions.secret(), SESSION_COOKIE, prefix);
    return value ? sessions.resolve(value) : undefined;
  };

  app.get("/staff.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(STAFF_SCRIPT);
  });

  app.get("/ticket.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(TICKET_SCRIPT);
  });

  app.get("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    if (await currentSession(c)) return c.redirect(next, 303);
    return renderLogin(c, 200, { next, info: c.req.query("abgemeldet") !== undefined ? "Sie wurden abgemeldet." : undefined });
  });

  app.post("/login", async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(body.next);
    const rawName = str(body.name, 200);
    const password = str(body.password, MAX_PASSWORD_LENGTH);
    const secret = await sessions.secret();
    if (!sameToken(body[CSRF_FIELD], await getSignedCookie(c, secret, LOGIN_COOKIE, prefix))) {
      deleteCookie(c, LOGIN_COOKIE, cookieBase);
      return renderLogin(c, 403, { next, name: rawName, error: "Das Anmeldeformular war abgelaufen. Bitte melden Sie sich noch einmal an." });
    }
    const name = normalizeStaffName(rawName);
    const ip = clientAddress(c, config.trustProxy);
    const waitSec = await limiter.attempt(ip, name ?? rawName.trim().toLowerCase());
    if (waitSec !== undefined) {
      log.warn({ ip }, "staff login rate-limited");
      const minutes = Math.ceil(waitSec / 60);
      return renderLogin(c, 429, {
        next, name: rawName,
        error: `Zu viele Anmeldeversuche. Bitte warten Sie ${minutes} ${minutes === 1 ? "Minute" : "Minuten"} und versuchen Sie es dann noch einmal.`,
      });
    }
    const account = name ? await store.getStaffByName(name) : undefined;
    // Unknown names cost the same scrypt check as known ones: the timing reveals no account names.
    const ok = (await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()))) && account !== undefined;
    if (!ok || !name) {
      log.info({ ip }, "staff login failed");
      return renderLogin(c, 401, { next, name: rawName, error: "Benutzername oder Passwort ist nicht richtig." });
    }
    await limiter.succeeded(ip, name);
    const { cookieValue } = await sessions.create(name);
    await setSignedCookie(c, SESSION_COOKIE, cookieValue, secret, { ...cookieBase, maxAge: SESSION_TTL_MS / 1000 });
    deleteCookie(c, LOGIN_COOKIE, cookieBase);
    log.info({ staff: name }, "staff login");
    return c.redirect(account.mustChangePassword ? "/staff/passwort" : next, 303);
  });

  // Everything below needs a valid session; POSTs also the session's form token.
  app.use("*", async (c, next) => {
    const session = await currentSession(c);
    const account = session ? await store.getStaffByName(session.name) : undefined;
    const isRead = c.req.method === "GET" || c.req.method === "HEAD";
    if (!session || !account) {
      if (isRead) {
        const u = new URL(c.req.url);
        return c.redirect(`/staff/login?next=${encodeURIComponent(safeNext(u.pathname + u.search))}`, 303);
      }
      return c.html(messagePage("Bitte anmelden", "Ihre Sitzung ist abgelaufen oder Sie sind nicht angemeldet. Bitte melden Sie sich an; Ihre Eingabe wurde nicht gespeichert.", undefined, { href: "/staff/login", label: "Zur Anmeldung" }), 401);
    }
    if (!isRead) {
      const body = await c.req.parseBody();
      if (!sameToken(body[CSRF_FIELD], session.csrf)) {
        log.warn({ path: c.req.path, staff: session.name }, "staff: POST without valid form token");
        return c.html(messagePage("Formular veraltet", "Das Formular war veraltet. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.", session), 403);
      }
    }
    c.set("staff", { ...session, mustChange: account.mustChangePassword });
    if (account.mustChangePassword && c.req.path !== "/staff/passwort" && c.req.path !== "/staff/logout") {
      if (isRead) return c.redirect("/staff/passwort", 303);
      return c.html(messagePage("Neues Passwort nötig", "Bitte legen Sie zuerst ein eigenes Passwort fest.", session, { href: "/staff/passwort", label: "Passwort festlegen" }), 403);
    }
    await next();
  });

  app.post("/logout", async (c) => {
    const s = c.get("staff");
    await sessions.revoke(s.name, s.sid);
    deleteCookie(c, SESSION_COOKIE, cookieBase);
    log.info({ staff: s.name }, "staff logout");
    return c.redirect("/staff/login?abgemeldet", 303);
  });

  app.get("/passwort", (c) => c.html(passwordPage({ session: c.get("staff"), forced: c.get("staff").mustChange })));

  app.post("/passwort", async (c) => {
    const s = c.get("staff");
    const body = await c.req.parseBody();
    const current = str(body.current, MAX_PASSWORD_LENGTH + 1);
    const next = str(body.next, MAX_PASSWORD_LENGTH + 1);
    const account = await store.getStaffByName(s.name);
    if (!account || !(await verifyPassword(current, account.passwordHash)))
      return c.html(passwordPage({ session: s, forced: s.mustChange, error: "Das bisherige Passwort ist nicht richtig." }), 422);
    const problem = newPasswordProblem(current, next, str(body.repeat, MAX_PASSWORD_LENGTH + 1));
    if (problem) return c.html(passwordPage({ session: s, forced: s.mustChange, error: problem }), 422);
    await store.setStaffPassword(s.name, await hashPassword(next), false);
    await sessions.revokeAll(s.name, s.sid);
    log.info({ staff: s.name }, "staff password changed");
    return c.redirect("/staff?hinweis=passwort", 303);
  });

  app.get("/", async (c) => {
    // A search shows matching Vorgänge of every state: older closed ones are not on the list any more.
    const search = (c.req.query("suche") ?? "").replace(/\s+/gu, " ").trim().slice(0, MAX_SEARCH_LENGTH);
    if (search) return c.html(ticketListPage({ session: c.get("staff"), tickets: await store.searchTickets(search, SEARCH_LIMIT), remindHours: config.handoverRemindHours, search }));
    const pageNo = /^\d{1,6}$/.test(c.req.query("seite") ?? "") ? Math.max(1, Number(c.req.query("seite"))) : 1;
    const offset = (pageNo - 1) * PAGE_SIZE;
    // The work queue (open, claimed) oldest first and paged: every ticket stays reachable, however many.
    const waiting = await Promise.all((["open", "claimed"] as TicketStatus[]).map((s) => store.listTickets({ status: [s], oldestFirst: true, limit: PAGE_SIZE, offset })));
    const tickets = [
      ...waiting.flat(),
      ...(await store.listTickets({ status: ["answered"], limit: PAGE_SIZE })),
      ...(await store.listTickets({ status: ["closed"], limit: 30 })),
    ];
    const notice = c.req.query("hinweis") === "passwort" ? "Ihr neues Passwort ist gespeichert." : undefined;
    return c.html(ticketListPage({ session: c.get("staff"), tickets, remindHours: config.handoverRemindHours, notice, counts: await store.countTickets(), page: pageNo }));
  });

  const ticketId = (c: Context) => (/^\d{1,9}$/.test(c.req.param("id") ?? "") ? Number(c.req.param("id")) : undefined);
  const notFound = (c: Context<StaffEnv>) =>
    c.html(messagePage("Nicht gefunden", "Diesen Vorgang gibt es nicht (mehr).", c.get("staff")), 404);

  const showTicket = async (c: Context<StaffEnv>, id: number, extra: Partial<TicketPageOptions> = {}, status: 200 | 422 | 502 = 200) => {
    const ticket = await store.getTicket(id);
    if (!ticket) return notFound(c);
    const faq = extra.faq ?? (ticket.answer ? suggestFaqDraft(ticket) : undefined);
    return c.html(ticketPage({ session: c.get("staff"), ticket, timeZone: tz, faq, ...extra }), status);
  };

  app.get("/tickets/:id", async (c) => {
    const id = ticketId(c);
    if (id === undefined) return notFound(c);
    const ticket = await store.getTicket(id);
    if (!ticket) return notFound(c);
    const hint = c.req.query("hinweis");
    const notices: Record<string, TicketPageOptions["notice"]> = {
      uebernommen: { kind: "ok", text: "Sie haben den Vorgang übernommen." },
      "schon-uebernommen": { kind: "info", text: `Der Vorgang wurde bereits von ${ticket.staffMember ?? "jemand anderem"} übernommen.` },
      // The web chat has no push: the answer waits until the mayor opens the chat again.
      zugestellt: ticket.channel === "web"
        ? { kind: "ok", text: "Antwort gespeichert. Ist der Web-Chat der Person gerade offen, erscheint sie dort sofort; sonst wird sie im Web-Chat beim nächsten Besuch der Person angezeigt (im selben Browser – der Web-Chat kann nicht benachrichtigen). Der Vorgang ist jetzt „beantwortet“." }
        : { kind: "ok", text: `Antwort zugestellt (${channelLabel(ticket.channel)}). Der Vorgang ist jetzt „beantwortet“.` },
      erledigt: { kind: "ok", text: "Der Vorgang ist als erledigt markiert." },
    };
    const faqId = c.req.query("faq");
    return showTicket(c, id, {
      notice: hint ? notices[hint] : undefined,
      faqSaved: faqId && /^faq-[a-z0-9-]{1,80}$/.test(faqId) ? `faq/${faqId}.md` : undefined,
    });
  });

  app.post("/tickets/:id/uebernehmen", async (c) => {
    const id = ticketId(c);
    const s = c.get("staff");
    const t = id === undefined ? undefined : await core.handover.claim(id, s.name);
    if (!t) return notFound(c);
    return c.redirect(`/staff/tickets/${t.id}?hinweis=${t.staffMember === s.name ? "uebernommen" : "schon-uebernommen"}`, 303);
  });

  app.post("/tickets/:id/antwort", async (c) => {
    const id = ticketId(c);
    if (id === undefined) return notFound(c);
    const s = c.get("staff");
    // Read whole (up to a bound) so a too long answer comes back complete in the field, not cut.
    const text = str((await c.req.parseBody()).text, MAX_ANSWER_CHARS * 4);
    if (!text.trim()) return showTicket(c, id, { notice: { kind: "err", text: "Bitte schreiben Sie eine Antwort." } }, 422);
    if (text.length > MAX_ANSWER_CHARS)
      return showTicket(c, id, { answerText: text, notice: { kind: "err", text: `Die Antwort ist zu lang (höchstens ${MAX_ANSWER_CHARS} Zeichen).` } }, 422);
    const res = await core.handover.answer(id, s.name, text);
    if (!res.ticket) return c.html(answerNotSentPage(id, text, s), 404);
    if (!res.delivered)
      return showTicket(c, id, { answerText: text, notice: { kind: "err", text: `Nicht zugestellt: ${res.error ?? "unbekannter Fehler"}. Der Vorgang bleibt offen, Ihr Text steht noch im Feld.` } }, 502);
    return c.redirect(`/staff/tickets/${id}?hinweis=zugestellt`, 303);
  });

  app.post("/tickets/:id/erledigt", async (c) => {
    const id = ticketId(c);
    const t = id === undefined ? undefined : await core.handover.close(id, c.get("staff").name);
    if (!t) return notFound(c);
    return c.redirect(`/staff/tickets/${t.id}?hinweis=erledigt`, 303);
  });

  /** The FAQ form's fields (Vorgang and Wissen share the form). */
  const faqDraftFrom = (body: Record<string, unknown>): FaqDraft => ({
    question: str(body.question, 1000).replace(/\s+/g, " ").trim(),
    answer: str(body.answer).replace(/\r\n/g, "\n").trim(),
    topics: parseTopics(str(body.topics, 500)),
    legal: body.legal === "1",
  });
  /** A new FAQ file under a name no entry has, in the knowledge or published (throws IngestError). */
  const newFaq = async (draft: FaqDraft) => {
    const entries = await core.knowledge.published.list();
    const taken = (id: string) => core.retriever.docs.some((d) => d.id === id || d.file === `faq/${id}.md`) || entries.some((e) => e.path === `faq/${id}.md`);
    return prepareFaq(draft, todayIso(tz), taken);
  };

  /**
   * A new entry asking what a published FAQ entry already asks (its question or one of its alternatives, case and
   * punctuation aside): a second entry would only compete with the first. German problem, or undefined.
   */
  const duplicateQuestion = (question: string): string | undefined => {
    const norm = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    const want = norm(question);
    const same = core.retriever.chunks.find((ch) => ch.meta.kind === "faq" && (ch.meta.phrasings ?? [ch.meta.title]).some((p) => norm(p) === want));
    return same && `Diese Frage gibt es schon als FAQ-Eintrag „${same.meta.title}“. Bitte ändern Sie dort die Antwort (unter „Wissen“ beim Eintrag auf „Bearbeiten“), statt einen zweiten Eintrag anzulegen.`;
  };

  /** A contact the knowledge already publishes (an office's number): found in a passage, spaces aside. */
  const inKnowledge = (contact: string): boolean => {
    const flat = (t: string) => t.replace(/\s+/g, " ");
    const want = flat(contact);
    return core.retriever.chunks.some((ch) => flat(ch.text).includes(want));
  };

  app.post("/tickets/:id/faq", async (c) => {
    const id = ticketId(c);
    const ticket = id === undefined ? undefined : await store.getTicket(id);
    if (!ticket) return notFound(c);
    const body = await c.req.parseBody();
    const draft = faqDraftFrom(body);
    const problems = faqDraftProblems(draft, inKnowledge);
    const duplicate = duplicateQuestion(draft.question);
    if (duplicate) problems.push(duplicate);
    if (problems.length) return showTicket(c, ticket.id, { faq: draft, faqProblems: problems }, 422);
    let saved: { id: string; file: string; content: string };
    const staff = c.get("staff").name;
    try {
      saved = await newFaq(draft);
    } catch (err) {
      if (!(err instanceof IngestError)) throw err;
      return showTicket(c, ticket.id, { faq: draft, faqProblems: [err.message] }, 422);
    }
    // Published like any staff change: in the store for every instance, answered from now on.
    await core.knowledge.published.publish(saved.file, Buffer.from(saved.content, "utf8"), staff, draft.question);
    await core.knowledge.reload(`faq published by ${staff}`);
    await store.addTicketMessage(ticket.id, { from: "system", text: `Als FAQ veröffentlicht: ${saved.file} (von ${staff})` });
    log.info({ ticket: ticket.id, file: saved.file, staff }, "faq published");
    return c.redirect(`/staff/tickets/${ticket.id}?faq=${saved.id}#faq`, 303);
  });

  // --- Wissen: staff keep the knowledge themselves (upload, preview, publish, retire), live without restart.
  const published = core.knowledge.published;
  const UPLOAD = TRANSIENT.uploadPreview.prefix;
  const previewExpired = (s: Parameters<typeof messagePage>[2]) =>
    messagePage("Vorschau abgelaufen", "Diese Vorschau gibt es nicht mehr. Bitte laden Sie die Datei noch einmal hoch.", s, { href: "/staff/wissen", label: "Zu „Wissen“" });
  const knowledgeNotices: Record<string, { kind: "ok" | "info"; text: string }> = {
    veroeffentlicht: { kind: "ok", text: "Veröffentlicht. Der Ortslotse nutzt die Ausgabe ab jetzt (auf anderen Instanzen innerhalb einer Minute). Bei neuen Inhalten ist er vorsichtig: Ist er nicht sicher, kommt die Frage mit den passenden Abschnitten als Vorgang zu Ihnen. Wichtige Fragen dazu beantwortet er sofort selbst, wenn Sie sie als FAQ veröffentlichen." },
    zurueckgezogen: { kind: "ok", text: "Zurückgezogen. Der Ortslotse antwortet nicht mehr daraus; der Eintrag bleibt hier mit seiner Geschichte." },
    wieder: { kind: "ok", text: "Wieder veröffentlicht." },
    faq: { kind: "ok", text: "FAQ-Eintrag gespeichert und veröffentlicht. Der Ortslotse beantwortet die Frage ab jetzt so." },
    programm: { kind: "ok", text: "Förderprogramm gespeichert und veröffentlicht. Der Förder-Finder nennt es ab jetzt mit diesen Angaben." },
    "programm-neu": { kind: "ok", text: "Neues Förderprogramm gespeichert und veröffentlicht. Der Förder-Finder nennt es ab jetzt, wenn jemand nach Geld für einen der angekreuzten Zwecke fragt." },
  };
  /** Where else the figures an edit replaced still stand: other entries' passages and the programmes' cards. */
  const withOldFigures = (notice: { kind: "ok" | "info"; text: string }, figures: string, savedId: string) => {
    const places = figures.split(" ").filter((f) => /^[\d.,]+$/.test(f)).slice(0, 3).map((f) => {
      const has = (text: string) => new RegExp(`(^|[^\\d.,])${f.replace(/[.]/g, "\\.")}(?![\\d]|[.,]\\d)`).test(text);
      const entries = [...new Set(core.retriever.chunks.filter((ch) => ch.meta.docId !== savedId && has(ch.text)).map((ch) => `„${ch.meta.title}“`))];
      const cards = core.funding.programmes.filter((p) => has(JSON.stringify(p))).map((p) => `Förderprogramm „${p.name}“`);
      return { f, where: [...entries, ...cards].slice(0, 6) };
    }).filter((x) => x.where.length);
    if (!places.length) return notice;
    return { kind: "info" as const, text: `${notice.text} ${places.map((x) => `Die alte Angabe „${x.f}“ steht noch in: ${x.where.join(", ")}.`).join(" ")} Bitte prüfen Sie diese Einträge auch.` };
  };
  /** A retired entry a Förder-Finder programme names as its source: the programme's card may now say what nothing backs. */
  const withCitingProgrammes = (notice: { kind: "ok" | "info"; text: string }, docId: string) => {
    const citing = core.funding.programmes.filter((p) => p.sources.includes(docId)).map((p) => `„${p.name}“`);
    if (!citing.length) return notice;
    return { kind: "info" as const, text: `${notice.text} ${citing.length === 1 ? "Das Förderprogramm" : "Die Förderprogramme"} ${citing.join(", ")} ${citing.length === 1 ? "nennt" : "nennen"} diesen Eintrag als Quelle: Bitte prüfen Sie ${citing.length === 1 ? "dessen" : "deren"} Angaben unten unter „Förderprogramme“.` };
  };
  /** The current text of a knowledge file: as staff last published it, else as it is in the knowledge folder. */
  // `answered`: whether the knowledge answers from the file now (an entry it indexed, a programme it loaded).
  /** A knowledge file as it is live now, as bytes (an uploaded PDF too): published by staff, else shipped. */
  const currentBytes = async (path: string, answered = () => core.retriever.docs.some((d) => d.file === path)): Promise<Buffer | undefined> => {
    const entry = await published.get(path);
    if (entry?.status === "live" && entry.content) return Buffer.from(entry.content, "base64");
    if (!answered()) return undefined;
    return readFile(joinPath(core.knowledge.currentDir, path)).catch(() => undefined);
  };
  const currentFile = async (path: string, answered?: () => boolean): Promise<string | undefined> => (await currentBytes(path, answered))?.toString("utf8");

  app.get("/wissen/faq", async (c) => {
    const s = c.get("staff");
    const path = c.req.query("path");
    if (!path) return c.html(faqEditorPage({ session: s, draft: { question: "", answer: "", topics: ["allgemein"], legal: false } }));
    const content = PUBLISHABLE_PATH.test(path) && path.startsWith("faq/") ? await currentFile(path) : undefined;
    if (!content) return c.html(messagePage("Nicht gefunden", "Diesen FAQ-Eintrag gibt es nicht (mehr).", s, { href: "/staff/wissen", label: "Zu „Wissen“" }), 404);
    return c.html(faqEditorPage({ session: s, path, draft: faqFields(content) }));
  });

  app.post("/wissen/faq", async (c) => {
    const s = c.get("staff");
    const body = await c.req.parseBody();
    const path = str(body.path, 200) || undefined;
    const draft = faqDraftFrom(body);
    const problems = faqDraftProblems(draft, inKnowledge);
    const original = path && PUBLISHABLE_PATH.test(path) && path.startsWith("faq/") ? await currentFile(path) : undefined;
    if (path && !original) problems.push("Diesen FAQ-Eintrag gibt es nicht (mehr).");
    const duplicate = path ? undefined : duplicateQuestion(draft.question);
    if (duplicate) problems.push(duplicate);
    let file = path;
    let content = "";
    if (!problems.length) {
      try {
        if (path && original) content = editedFaq(original, path, draft, todayIso(tz));
        else {
          const made = await newFaq(draft);
          file = made.file;
          content = made.content;
        }
      } catch (err) {
        if (!(err instanceof IngestError)) throw err;
        problems.push(err.message);
      }
    }
    if (problems.length) return c.html(faqEditorPage({ session: s, path, draft, problems }), 422);
    await published.publish(file!, Buffer.from(content, "utf8"), s.name, draft.question);
    await core.knowledge.reload(`faq ${path ? "edited" : "written"} by ${s.name}`);
    log.info({ staff: s.name, path: file }, path ? "faq edited" : "faq written");
    // Back at the entry just saved (the list has 200 rows), with the notice beside it. A figure the edit replaced
    // ("12.000" → "14.000") may stand in other entries and programmes too: the notice names them (user test).
    const saved = core.retriever.docs.find((d) => d.file === file);
    const gone = original ? figuresOf(original).filter((f) => !figuresOf(content).includes(f)).slice(0, 3) : [];
    const old = gone.length ? `&alt=${encodeURIComponent(gone.join(" "))}` : "";
    return c.redirect(saved ? `/staff/wissen?hinweis=faq${old}&eintrag=${encodeURIComponent(saved.id)}#e-${saved.id}` : "/staff/wissen?hinweis=faq", 303);
  });

  /**
   * Funding announced in the last twelve months' issues that no programme covers yet (none cites the issue): its
   * `funding` notes not matched by a programme's id, or, without notes (HTML and PDF as sent), its sections headed "Förder…".
   */
  const fundingNotes = () => {
    const since = new Date();
    since.setMonth(since.getMonth() - 12);
    const cutoff = since.toISOString().slice(0, 10);
    const programmes = core.funding.programmes;
    return core.retriever.docs
      .filter((d) => d.kind === "newsletter" && (d.date ?? "") >= cutoff && !programmes.some((p) => p.sources.includes(d.id)))
      .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""))
      .flatMap((d) => d.funding.some((f) => !f.fromText)
        ? d.funding.filter((f) => !f.fromText && !programmes.some((p) => p.id === f.id)).map((f) => ({ docTitle: d.title, programme: f.programme, query: `aus=${encodeURIComponent(d.id)}&foerderung=${encodeURIComponent(f.id)}` }))
        : (d.headings ?? []).flatMap((h) => FUNDING_HEADING.test(h) ? [{ docTitle: d.title, programme: programmeNameOf(h), query: `aus=${encodeURIComponent(d.id)}&abschnitt=${encodeURIComponent(h)}` }] : []));
  };

  app.get("/wissen", async (c) => {
    const entries = await published.list();
    const byPath = new Map(entries.map((e) => [e.path, e]));
    const cutoff = new Date();
    cutoff.setMonth(cutoff.getMonth() - config.knowledgeStaleMonths);
    const usage = await store.sourceUsage(new Date(Date.now() - 12 * 7 * 86_400_000).toISOString());
    const rows = core.retriever.docs
      .map((doc) => ({ doc, entry: byPath.get(doc.file), stale: (doc.stand ?? doc.date ?? "9999") < cutoff.toISOString().slice(0, 10), used: usage.get(doc.id) ?? 0 }))
      .sort((a, b) => (b.doc.date ?? b.doc.stand ?? "").localeCompare(a.doc.date ?? a.doc.stand ?? ""));
    const today = new Date();
    const programmes = core.funding.programmes
      .map((programme) => ({ programme, deadline: deadlineOf(programme, today), entry: byPath.get(`programmes/${programme.id}.yaml`), stale: programme.stand < cutoff.toISOString().slice(0, 10) }))
      .sort((a, b) => a.programme.name.localeCompare(b.programme.name, "de"));
    const hint = c.req.query("hinweis");
    const notice = hint === "faq" ? withOldFigures(knowledgeNotices.faq, c.req.query("alt") ?? "", c.req.query("eintrag") ?? "")
      : hint === "zurueckgezogen" ? withCitingProgrammes(knowledgeNotices.zurueckgezogen, c.req.query("quelle") ?? "")
      : hint ? knowledgeNotices[hint] : undefined;
    return c.html(knowledgePage({ session: c.get("staff"), rows, programmes, retired: entries.filter((e) => e.status === "retired"), notice, staleMonths: config.knowledgeStaleMonths, noticeAtProgrammes: hint === "programm" || hint === "programm-neu", fundingNotes: fundingNotes(), saved: c.req.query("eintrag") }));
  });

  // Funding programmes: the Förder-Finder's data, changed in a form (deadline, amounts, contact) and live at once.
  const programmeOf = (id: string) => core.funding.programmes.find((p) => p.id === id);
  const programmeFile = (id: string) => currentFile(`programmes/${id}.yaml`, () => Boolean(programmeOf(id)));
  const noProgramme = (c: Context) => c.html(messagePage("Nicht gefunden", "Dieses Förderprogramm gibt es nicht (mehr).", c.get("staff"), { href: "/staff/wissen#programme", label: "Zu „Wissen“" }), 404);

  app.get("/wissen/programm", async (c) => {
    const programme = programmeOf(c.req.query("id") ?? "");
    if (!programme) return noProgramme(c);
    return c.html(programmeEditorPage({ session: c.get("staff"), programme, draft: programmeFields(programme), purposes: core.funding.purposes }));
  });

  // New programmes: announced in a newsletter's funding note (prefilled from it) or typed in; each names the
  // knowledge entry that backs it, so the Förder-Finder's card and the answers rest on the same text.
  const sourceChoices = () => [...core.retriever.docs]
    .sort((a, b) => (b.date ?? b.stand ?? "").localeCompare(a.date ?? a.stand ?? ""))
    .map((d) => ({ id: d.id, title: `${d.title}${d.kind === "faq" ? " (FAQ)" : ""}` }));
  /** The form prefilled from a newsletter: its `funding` note (`foerderung`) or a section about funding (`abschnitt`). */
  const fundingDraft = async (docId: string, fundingId: string, heading: string) => {
    const doc = core.retriever.docs.find((d) => d.id === docId);
    const content = doc && (await currentBytes(doc.file));
    if (!doc || !content) return undefined;
    const parsed = await readKnowledgeFile(doc.file, content).catch(() => undefined);
    const today = todayIso(tz);
    const suggest = (text: string) => core.funding.purposes.readStory(text).purposes;
    const note = doc.funding.find((f) => f.id === fundingId && !f.fromText);
    if (note) {
      const section = parsed?.sections.find((x) => x.programme === note.id || x.heading === note.section)?.text ?? "";
      return draftFromFunding(note, section, today, suggest);
    }
    const section = parsed?.sections.find((x) => x.heading === heading);
    return section && FUNDING_HEADING.test(section.heading) ? draftFromSection(section.heading, section.text, section.link, today, suggest) : undefined;
  };

  app.get("/wissen/programm/neu", async (c) => {
    const from = c.req.query("aus") ?? "";
    const draft = (from && (await fundingDraft(from, c.req.query("foerderung") ?? "", c.req.query("abschnitt") ?? ""))) || programmeDraftFrom({});
    const chosen = draft.name && from ? [from] : [];
    return c.html(programmeEditorPage({ session: c.get("staff"), draft, purposes: core.funding.purposes, sources: { choices: sourceChoices(), chosen } }));
  });

  app.post("/wissen/programm/neu", async (c) => {
    const s = c.get("staff");
    const body = await c.req.parseBody({ all: true });
    const draft = programmeDraftFrom(body);
    const known = new Set(core.retriever.docs.map((d) => d.id));
    const sources = (Array.isArray(body.sources) ? body.sources : [body.sources]).filter((x): x is string => typeof x === "string" && known.has(x));
    const problems = programmeDraftProblems(draft, "", inKnowledge);
    if (!sources.length) problems.push("Quelle im Wissen: Bitte wählen Sie den Newsletter oder FAQ-Eintrag, der das Programm ankündigt.");
    const taken = new Set([...core.funding.programmes.map((p) => p.id), ...(await published.list()).filter((e) => e.path.startsWith("programmes/")).map((e) => e.path.slice(11, -5))]);
    const id = programmeIdFor(draft.name, (x) => taken.has(x));
    let content = "";
    if (!problems.length) {
      try {
        content = newProgramme(id, draft, sources, todayIso(tz), core.funding.purposes.ids).content;
      } catch (err) {
        if (!(err instanceof ProgrammeError)) throw err;
        problems.push(formProblem(err.message));
      }
    }
    if (problems.length) return c.html(programmeEditorPage({ session: s, draft, purposes: core.funding.purposes, problems, sources: { choices: sourceChoices(), chosen: sources } }), 422);
    const file = `programmes/${id}.yaml`;
    await published.publish(file, Buffer.from(content, "utf8"), s.name, draft.name);
    await core.knowledge.reload(`programme added by ${s.name}`);
    log.info({ staff: s.name, path: file }, "programme added");
    return c.redirect("/staff/wissen?hinweis=programm-neu#programme", 303);
  });

  app.post("/wissen/programm", async (c) => {
    const s = c.get("staff");
    const body = await c.req.parseBody({ all: true });
    const programme = programmeOf(str(body.id, 100));
    const original = programme && (await programmeFile(programme.id));
    if (!programme || !original) return noProgramme(c);
    const draft = programmeDraftFrom(body, programme);
    const problems = programmeDraftProblems(draft, original, inKnowledge);
    const file = `programmes/${programme.id}.yaml`;
    let content = "";
    if (!problems.length) {
      try {
        content = editedProgramme(original, `${programme.id}.yaml`, draft, todayIso(tz), core.funding.purposes.ids).content;
      } catch (err) {
        if (!(err instanceof ProgrammeError)) throw err;
        problems.push(formProblem(err.message));
      }
    }
    if (problems.length) return c.html(programmeEditorPage({ session: s, programme, draft, purposes: core.funding.purposes, problems }), 422);
    await published.publish(file, Buffer.from(content, "utf8"), s.name, draft.name);
    await core.knowledge.reload(`programme edited by ${s.name}`);
    log.info({ staff: s.name, path: file }, "programme edited");
    return c.redirect("/staff/wissen?hinweis=programm#programme", 303);
  });

  app.post("/wissen/vorschau", async (c) => {
    const s = c.get("staff");
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File)) {
      return c.html(uploadPreviewPage({ session: s, path: "(keine Datei)", problem: "Bitte wählen Sie eine Datei aus.", warnings: [] }), 422);
    }
    if (!file.size) return c.html(uploadPreviewPage({ session: s, path: file.name, problem: "Die Datei ist leer. Bitte speichern Sie den Newsletter noch einmal und wählen Sie diese Datei.", warnings: [] }), 422);
    const content = Buffer.from(await file.arrayBuffer());
    const path = knowledgeFileName(file.name, content);
    if (!path) return c.html(uploadPreviewPage({ session: s, path: file.name, problem: "Bitte laden Sie den Newsletter als HTML-Datei (im E-Mail-Programm „Speichern unter …“), als PDF oder als Markdown-Datei (.md: „# Titel“, eine Zeile mit dem Datum, dann „## “ vor jedem Artikel) hoch.", warnings: [] }), 422);
    const preview = await previewUpload(path, content, core.retriever.docs);
    if (preview.problem) return c.html(uploadPreviewPage({ session: s, path, fileName: file.name, problem: preview.problem, warnings: [] }), 422);
    // The same file again (uploaded twice, or the issue already in the knowledge): nothing to publish, and the list
    // would only have said "geändert" (user test).
    const live = await readFile(joinPath(core.knowledge.currentDir, path)).catch(() => undefined);
    if (live?.equals(content)) return c.html(messagePage("Schon veröffentlicht", `„${preview.doc!.title}“ ist genau so schon veröffentlicht; es gibt nichts zu tun.`, s, { href: "/staff/wissen", label: "Zu „Wissen“" }));
    const token = randomBytes(16).toString("hex");
    await store.setState(UPLOAD + token, JSON.stringify({ path, fileName: file.name, content: content.toString("base64"), by: s.name, title: preview.doc!.title, replaces: preview.replaces?.file, at: Date.now() }));
    // The preview is a page of its own (POST, then redirect): "Zurück" after publishing showed the browser's
    // "Erneut senden?" page, and reloading it uploaded the file again (user test).
    return c.redirect(`/staff/wissen/vorschau/${token}`, 303);
  });

  app.get("/wissen/vorschau/:token", async (c) => {
    const s = c.get("staff");
    const token = c.req.param("token");
    const raw = /^[a-f0-9]{32}$/.test(token) ? await store.getState(UPLOAD + token) : undefined;
    if (!raw) return c.html(previewExpired(s), 410);
    const up = JSON.parse(raw) as { path: string; fileName?: string; content?: string; published?: string; at?: number };
    if (!isFresh("uploadPreview", up)) return c.html(previewExpired(s), 410);
    if (up.published !== undefined) return c.html(messagePage("Schon veröffentlicht", `„${up.published}“ ist veröffentlicht; der Ortslotse antwortet schon daraus.`, s, { href: "/staff/wissen", label: "Zu „Wissen“" }));
    const preview = await previewUpload(up.path, Buffer.from(up.content ?? "", "base64"), core.retriever.docs);
    if (preview.problem) return c.html(uploadPreviewPage({ session: s, path: up.path, fileName: up.fileName, problem: preview.problem, warnings: [] }), 422);
    return c.html(uploadPreviewPage({ session: s, path: up.path, fileName: up.fileName, token, doc: preview.doc, replaces: preview.replaces?.title, warnings: preview.warnings }));
  });

  app.post("/wissen/veroeffentlichen", async (c) => {
    const s = c.get("staff");
    const token = str((await c.req.parseBody()).token, 64);
    const raw = /^[a-f0-9]{32}$/.test(token) ? await store.getState(UPLOAD + token) : undefined;
    if (!raw) return c.html(previewExpired(s), 410);
    const up = JSON.parse(raw) as { path: string; content: string; title: string; replaces?: string; published?: string; at?: number };
    if (!isFresh("uploadPreview", up)) return c.html(previewExpired(s), 410);
    // A second click on "Veröffentlichen" (or the button again after "Zurück") publishes nothing twice.
    if (up.published !== undefined) return c.redirect("/staff/wissen?hinweis=veroeffentlicht", 303);
    await published.publish(up.path, Buffer.from(up.content, "base64"), s.name, up.title);
    // The same issue under another file name: the new file takes its place.
    if (up.replaces && up.replaces !== up.path && PUBLISHABLE_PATH.test(up.replaces)) await published.retire(up.replaces, s.name);
    // What stays of the preview says it was published (a page reached with "Zurück" says so, not "abgelaufen").
    await store.setState(UPLOAD + token, JSON.stringify({ path: up.path, published: up.title, at: Date.now() }));
    await core.knowledge.reload(`published by ${s.name}`);
    log.info({ staff: s.name, path: up.path }, "knowledge published");
    return c.redirect("/staff/wissen?hinweis=veroeffentlicht", 303);
  });

  app.post("/wissen/zurueckziehen", async (c) => {
    const s = c.get("staff");
    const path = str((await c.req.parseBody()).path, 200);
    const doc = core.retriever.docs.find((d) => d.file === path);
    if (!doc || !PUBLISHABLE_PATH.test(path)) return c.html(messagePage("Nicht gefunden", "Diesen Eintrag gibt es nicht (mehr).", s, { href: "/staff/wissen", label: "Zu „Wissen“" }), 404);
    await published.retire(path, s.name, doc.title);
    await core.knowledge.reload(`retired by ${s.name}`);
    log.info({ staff: s.name, path }, "knowledge retired");
    return c.redirect(`/staff/wissen?hinweis=zurueckgezogen&quelle=${encodeURIComponent(doc.id)}`, 303);
  });

  app.post("/wissen/wieder", async (c) => {
    const s = c.get("staff");
    const path = str((await c.req.parseBody()).path, 200);
    const entry = PUBLISHABLE_PATH.test(path) ? await published.get(path) : undefined;
    if (!entry?.content || entry.status !== "retired") return c.html(messagePage("Nicht gefunden", "Diesen Eintrag gibt es nicht (mehr).", s, { href: "/staff/wissen", label: "Zu „Wissen“" }), 404);
    await published.publish(path, Buffer.from(entry.content, "base64"), s.name);
    await core.knowledge.reload(`republished by ${s.name}`);
    return c.redirect("/staff/wissen?hinweis=wieder", 303);
  });

  app.get("/luecken", async (c) => c.html(gapsPage({ session: c.get("staff"), gaps: await knowledgeGaps(store) })));

  app.get("/wochenueberblick", async (c) =>
    c.html(digestPage({
      session: c.get("staff"), digest: await currentDigest(core), subscriptions: (await store.listSubscriptions()).length,
      nextRun: nextDigestRun(config.digest.cron, config.digest.timezone), sendsEmpty: config.digest.sendEmpty,
    })));

  app.all("*", (c) =>
    c.req.path === "/staff/" ? c.redirect("/staff", 301) : c.html(messagePage("Nicht gefunden", "Diese Seite gibt es nicht.", c.get("staff")), 404),
  );
  return app;
}

/** The amounts of an entry's answer ("12.000", "35 %", "2,5 Euro"): figures with a unit or thousands separator. */
function figuresOf(file: string): string[] {
  const body = file.replace(/^---\n[\s\S]*?\n---\n/, "");
  return [...new Set([...body.matchAll(/(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?(?=\s?(?:%|Prozent|Euro|€)))/g)].map((m) => m[1]))];
}
