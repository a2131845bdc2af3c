import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local Telegram Bot API server for tests: grammY (or anything else) talks to it through
 * `client.apiRoot`. It records every call, answers the methods Ortslotse uses with plausible
 * results, parses `parse_mode: "HTML"` texts the way Telegram does (unknown tags, raw `<`/`&`,
 * over-long messages → 400), serves files for getFile downloads, holds getUpdates long polls
 * open until an update arrives, and can be told to fail (429 with retry_after, 5xx, 4xx).
 */

export const TEST_TOKEN = "123:TEST";

export const TEST_BOT = {
  id: 1,
  is_bot: true as const,
  first_name: "Ortslotse",
  username: "ortslotse_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface TgCall {
  method: string;
  token: string;
  /** JSON body, or for multipart uploads `{ ...fields, _files: [{ field, filename, content }] }`. */
  body: any;
  /** What the fake answered. */
  response: { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: any };
  at: number;
}

export type Failure =
  | { kind: "429"; retryAfter?: number }
  | { kind: "500"; description?: string }
  /** The connection is cut without an answer (grammY throws an HttpError). */
  | { kind: "network" }
  /** No answer at all: the request stays open (a process waiting on it can be killed mid-answer). */
  | { kind: "hang" }
  | { kind: "error"; code: number; description: string; parameters?: Record<string, unknown> };

interface FailureRule {
  method: string;
  failure: Failure;
  /** Remaining times; Infinity for "always". */
  times: number;
  chatId?: string;
}

type MemberStatus = "creator" | "administrator" | "member" | "restricted" | "left" | "kicked";

const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote", "tg-time"]);

/** Parses Telegram HTML like the Bot API does; returns the visible text or an error description. */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  let text = "";
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === "<") {
      const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*>/.exec(html.slice(i));
      if (!m) return { error: `Bad Request: can't parse entities: Unsupported start tag at byte offset ${i}` };
      const [all, close, rawName] = m;
      const name = rawName.toLowerCase();
      if (!ALLOWED_TAGS.has(name)) return { error: `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${i}` };
      if (close) {
        if (stack.pop() !== name) return { error: `Bad Request: can't parse entities: Unmatched end tag at byte offset ${i}, expected "</${stack[stack.length - 1] ?? ""}>", found "</${name}>"` };
      } else {
        stack.push(name);
      }
      i += all.length;
      continue;
    }
    if (ch === "&") {
      const m = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);/.exec(html.slice(i));
      if (!m) return { error: `Bad Request: can't parse entities: Character '&' is reserved and must be escaped at byte offset ${i}` };
      const e = m[1];
      if (e.startsWith("#x")) text += String.fromCodePoint(parseInt(e.slice(2), 16));
      else if (e.startsWith("#")) text += String.fromCodePoint(Number(e.slice(1)));
      else if (e === "lt") text += "<";
      else if (e === "gt") text += ">";
      else if (e === "amp") text += "&";
      else if (e === "quot") text += '"';
      else return { error: `Bad Request: can't parse entities: Unsupported HTML entity "&${e};" at byte offset ${i}` };
      i += m[0].length;
      continue;
    }
    if (ch === ">") return { error: `Bad Request: can't parse entities: Character '>' is reserved and must be escaped at byte offset ${i}` };
    text += ch;
    i++;
  }
  if (stack.length) return { error: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"` };
  return { text };
}

function parseMultipart(raw: Buffer, contentType: string): any {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return { _raw: raw.toString("utf8") };
  const sep = `--${boundary[1] ?? boundary[2]}`;
  const out: any = { _files: [] };
  for (const part of raw.toString("latin1").split(sep)) {
    const idx = part.indexOf("\r\n\r\n");
    if (idx < 0) continue;
    const head = part.slice(0, idx);
    const body = Buffer.from(part.slice(idx + 4).replace(/\r\n$/, ""), "latin1").toString("utf8");
    const name = /name="([^"]*)"/.exec(head)?.[1];
    const fm = /filename=(?:"([^"]*)"|([^;\r\n]+))/.exec(head);
    const filename = fm ? (fm[1] ?? fm[2]) : undefined;
    if (!name) continue;
    if (filename !== undefined) out._files.push({ field: name, filename, content: body });
    else out[name] = /^[\[{]/.test(body) ? safeJson(body) : body;
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export interface StartFakeTelegramOptions {
  token?: string;
  botInfo?: typeof TEST_BOT;
  /** Longest time a getUpdates long poll is held open, whatever its `timeout` says. */
  maxPollMs?: number;
}

export async function startFakeTelegram(opts: StartFakeTelegramOptions = {}) {
  const token = opts.token ?? TEST_TOKEN;
  const botInfo = opts.botInfo ?? TEST_BOT;
  const maxPollMs = opts.maxPollMs ?? 30_000;
  const calls: TgCall[] = [];
  const rules: FailureRule[] = [];
  const members = new Map<string, MemberStatus>();
  const files = new Map<string, { path: string; content: Buffer }>();
  const updates: any[] = [];
  const pollers = new Set<() => void>();
  const listeners = new Set<() => void>();
  let messageId = 1000;

  const chatOf = (chatId: unknown) => {
    const id = Number(chatId);
    return { id, type: id < 0 ? "supergroup" : "private", ...(id < 0 ? { title: "Testgruppe" } : { first_name: "Test" }) };
  };

  const newMessage = (body: any, extra: Record<string, unknown> = {}) => ({
    message_id: ++messageId,
    date: Math.floor(Date.now() / 1000),
    chat: chatOf(body.chat_id),
    from: botInfo,
    ...(body.message_thread_id ? { message_thread_id: body.message_thread_id, is_topic_message: true } : {}),
    ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}),
    ...extra,
  });

  const invalidKeyboard = (markup: any): string | undefined => {
    for (const row of markup?.inline_keyboard ?? []) {
      for (const b of row) {
        if (!b.text) return "Bad Request: BUTTON_TEXT_EMPTY";
        if (b.callback_data !== undefined && Buffer.byteLength(String(b.callback_data)) > 64) return "Bad Request: BUTTON_DATA_INVALID";
      }
    }
    return undefined;
  };

  function answer(method: string, body: any): TgCall["response"] {
    const chat = body?.chat_id !== undefined ? String(body.chat_id) : undefined;
    const rule = rules.find((r) => r.times > 0 && r.method === method && (r.chatId === undefined || r.chatId === chat));
    if (rule) {
      rule.times--;
      const f = rule.failure;
      if (f.kind === "429") return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${f.retryAfter ?? 1}`, parameters: { retry_after: f.retryAfter ?? 1 } };
      if (f.kind === "network") return { ok: false, error_code: -1, description: "connection reset" };
      if (f.kind === "hang") return { ok: false, error_code: -2, description: "no answer" };
      if (f.kind === "500") return { ok: false, error_code: 500, description: f.description ?? "Internal Server Error" };
      return { ok: false, error_code: f.code, description: f.description, ...(f.parameters ? { parameters: f.parameters } : {}) };
    }
    const ok = (result: unknown) => ({ ok: true, result });
    const bad = (description: string) => ({ ok: false, error_code: 400, description });
    switch (method) {
      case "getMe":
        return ok(botInfo);
      case "sendMessage":
      case "editMessageText": {
        let text = String(body.text ?? "");
        if (body.parse_mode === "HTML") {
          const parsed = parseTelegramHtml(text);
          if ("error" in parsed) return bad(parsed.error);
          text = parsed.text;
        }
        if (!text.trim()) return bad("Bad Request: message text is empty");
        if (text.length > 4096) return bad("Bad Request: message is too long");
        const kb = invalidKeyboard(body.reply_markup);
        if (kb) return bad(kb);
        if (method === "editMessageText") return ok({ ...newMessage(body, { text }), message_id: body.message_id });
        return ok(newMessage(body, { text }));
      }
      case "editMessageReplyMarkup":
        return ok(body.inline_message_id ? true : { ...newMessage(body), message_id: body.message_id });
      case "sendDocument":
        return ok(newMessage(body, { document: { file_id: "doc1", file_unique_id: "doc1", file_name: body._files?.[0]?.filename } }));
      case "getChatMember": {
        const status = members.get(`${body.chat_id}:${body.user_id}`) ?? "member";
        return ok({ status, user: { id: Number(body.user_id), is_bot: false, first_name: "Person" }, ...(status === "restricted" ? { is_member: true } : {}) });
      }
      case "getFile": {
        const f = files.get(String(body.file_id));
        if (!f) return bad("Bad Request: invalid file_id");
        return ok({ file_id: body.file_id, file_unique_id: `u-${body.file_id}`, file_size: f.content.length, file_path: f.path });
      }
      case "answerCallbackQuery":
      case "sendChatAction":
      case "setMyCommands":
      case "deleteMyCommands":
      case "setWebhook":
      case "deleteWebhook":
        return ok(true);
      case "getWebhookInfo":
        return ok({ url: "", has_custom_certificate: false, pending_update_count: 0 });
      default:
        return { ok: false, error_code: 404, description: "Not Found: method not found" };
    }
  }

  const send = (res: ServerResponse, status: number, obj: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(obj));
  };

  const record = (method: string, body: any, response: TgCall["response"]) => {
    calls.push({ method, token, body, response, at: Date.now() });
    for (const l of listeners) l();
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = req.url ?? "";

    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url);
    if (file && req.method === "GET") {
      const f = file[1] === token ? [...files.values()].find((x) => x.path === decodeURIComponent(file[2])) : undefined;
      if (!f) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(f.content);
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (m[1] !== token) return send(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = m[2];
    const ct = req.headers["content-type"] ?? "";
    let body: any = {};
    if (ct.includes("multipart/form-data")) body = parseMultipart(raw, ct);
    else if (raw.length) body = safeJson(raw.toString("utf8"));

    if (method === "getUpdates") {
      const offset = Number(body.offset ?? 0);
      const take = () => {
        while (updates.length && updates[0].update_id < offset) updates.shift();
        return updates.slice(0, Number(body.limit ?? 100));
      };
      let ready = take();
      if (!ready.length && Number(body.timeout ?? 0) > 0) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            pollers.delete(done);
            resolve();
          };
          const timer = setTimeout(done, Math.min(Number(body.timeout) * 1000, maxPollMs));
          pollers.add(done);
          req.on("close", done);
          res.on("close", done);
        });
        ready = take();
      }
      const response = { ok: true, result: ready };
      record(method, body, response);
      return send(res, 200, response);
    }

    const response = answer(method, body);
    record(method, body, response);
    if (response.error_code === -1) return req.socket.destroy();
    if (response.error_code === -2) return; // hang: the request is left open
    send(res, response.ok ? 200 : (response.error_code ?? 400), response);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;

  const api = {
    port,
    token,
    botInfo,
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    /** All recorded calls of one method, oldest first. */
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** sendMessage calls the fake accepted, optionally for one chat. */
    sent: (chatId?: number | string) =>
      calls.filter((c) => c.method === "sendMessage" && c.response.ok && (chatId === undefined || String(c.body.chat_id) === String(chatId))),
    /** Make the next `times` calls of `method` (optionally only to one chat) fail. */
    fail: (method: string, failure: Failure, opts: { times?: number; chatId?: number | string } = {}) => {
      rules.push({ method, failure, times: opts.times ?? 1, chatId: opts.chatId === undefined ? undefined : String(opts.chatId) });
    },
    clearFailures: () => {
      rules.length = 0;
    },
    setMember: (chatId: number | string, userId: number, status: MemberStatus) => {
      members.set(`${chatId}:${userId}`, status);
    },
    addFile: (fileId: string, content: Buffer, path = `voice/${fileId}.oga`) => {
      files.set(fileId, { path, content });
    },
    /** Queue updates for getUpdates (the real polling loop picks them up). */
    pushUpdate: (...u: any[]) => {
      updates.push(...u);
      for (const p of [...pollers]) p();
    },
    /** Resolves with the first recorded call (past or future) that matches. */
    waitFor: (pred: (c: TgCall) => boolean, timeoutMs = 10_000): Promise<TgCall> =>
      new Promise((resolve, reject) => {
        const hit = calls.find(pred);
        if (hit) return resolve(hit);
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`fake Telegram: no matching call within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(", ")}`));
        }, timeoutMs);
        const check = () => {
          const c = calls.find(pred);
          if (!c) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(c);
        };
        listeners.add(check);
      }),
    reset: () => {
      calls.length = 0;
      rules.length = 0;
    },
    close: async () => {
      for (const p of [...pollers]) p();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return api;
}

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;

// ---------------------------------------------------------------------------------------------
// Update builders: plausible Bot API updates, so tests read like what a phone sends.

let nextUpdateId = 10_000;
let nextMessageId = 1;

export interface Person {
  id: number;
  is_bot?: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
}

export const MAYOR: Person = { id: 501, first_name: "Maria", last_name: "Muster" };

export interface MessageOptions {
  chatId?: number;
  from?: Person;
  chatType?: "private" | "group" | "supergroup";
  threadId?: number;
  replyTo?: any;
  updateId?: number;
  messageId?: number;
}

function chat(o: MessageOptions, from: Person) {
  const type = o.chatType ?? ((o.chatId ?? from.id) < 0 ? "supergroup" : "private");
  const id = o.chatId ?? from.id;
  return type === "private"
    ? { id, type, first_name: from.first_name, ...(from.last_name ? { last_name: from.last_name } : {}) }
    : { id, type, title: "Ortsbürgermeister VG Testtal", ...(o.threadId ? { is_forum: true } : {}) };
}

/** A message update; `fields` are merged into the message (text, entities, voice, photo, …). */
export function messageUpdate(fields: Record<string, unknown>, o: MessageOptions = {}) {
  const from = o.from ?? MAYOR;
  return {
    update_id: o.updateId ?? nextUpdateId++,
    message: {
      message_id: o.messageId ?? nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: chat(o, from),
      from: { is_bot: false, ...from },
      ...(o.threadId ? { message_thread_id: o.threadId, is_topic_message: true } : {}),
      ...(o.replyTo ? { reply_to_message: o.replyTo } : {}),
      ...fields,
    },
  };
}

/** Text message; a leading /command gets its bot_command entity like Telegram sets it. */
export function textUpdate(text: string, o: MessageOptions = {}) {
  const entities: any[] = [];
  const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (cmd) entities.push({ type: "bot_command", offset: 0, length: cmd[0].length });
  for (const m of text.matchAll(/@[A-Za-z0-9_]{5,}/g)) {
    if (cmd && m.index! < cmd[0].length) continue;
    entities.push({ type: "mention", offset: m.index!, length: m[0].length });
  }
  return messageUpdate({ text, ...(entities.length ? { entities } : {}) }, o);
}

/** A button press on a message the bot sent (`message` as recorded: chat id, message id). */
export function callbackUpdate(data: string, message: { chatId: number; messageId: number; threadId?: number; text?: string; replyMarkup?: unknown }, from: Person = MAYOR, updateId?: number) {
  const type = message.chatId < 0 ? "supergroup" : "private";
  return {
    update_id: updateId ?? nextUpdateId++,
    callback_query: {
      id: `cb-${nextUpdateId}`,
      from: { is_bot: false, ...from },
      chat_instance: "ci-1",
      data,
      message: {
        message_id: message.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: type === "private" ? { id: message.chatId, type, first_name: from.first_name } : { id: message.chatId, type, title: "Gruppe" },
        from: TEST_BOT,
        text: message.text ?? "…",
        ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
        ...(message.threadId ? { message_thread_id: message.threadId, is_topic_message: true } : {}),
      },
    },
  };
}

/** The message object of a recorded sendMessage call, e.g. to reply to it or press its buttons. */
export function sentMessage(call: TgCall) {
  return call.response.result as { message_id: number; chat: { id: number; type: string }; text: string; from: typeof TEST_BOT; message_thread_id?: number };
}

/** First callback_data of the recorded message's inline keyboard whose button text matches. */
export function buttonData(call: TgCall, label: RegExp): string {
  const rows: any[][] = call.body.reply_markup?.inline_keyboard ?? [];
  const b = rows.flat().find((x) => label.test(x.text));
  if (!b) throw new Error(`no button ${label} in ${JSON.stringify(rows)}`);
  return b.callback_data;
}
