import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A lean local Telegram Bot API for the load benchmark (loopback only). It answers what grammY and the
 * runner call, holds getUpdates long polls until updates arrive, and counts sendMessage per chat with
 * O(1) bookkeeping, so 200 simulated mayors do not slow the measuring side down. (The test suite's
 * fake in test/support records every call for assertions; that is too slow for a load run.)
 */
export const BENCH_TOKEN = "4242:BENCH";
const BOT = {
  id: 4242, is_bot: true, first_name: "Ortslotse", username: "ortslotse_bench_bot", can_join_groups: true,
  can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false,
};

export interface FakeTelegram {
  apiRoot: string;
  token: string;
  /** Queues a private text message from `userId` and returns when the bot's next sendMessage to that chat arrives. */
  ask(userId: number, text: string, timeoutMs: number): Promise<boolean>;
  /** sendMessage calls per chat so far. */
  sentTo(chatId: number): number;
  /** Calls per Bot API method. */
  methods: Map<string, number>;
  close(): Promise<void>;
}

export async function startFakeTelegram(): Promise<FakeTelegram> {
  const updates: unknown[] = [];
  let nextUpdateId = 1;
  let nextMessageId = 1;
  const pollers = new Set<() => void>();
  const sent = new Map<number, number>();
  const waiting = new Map<number, () => void>();
  const methods = new Map<string, number>();

  const reply = (res: ServerResponse, body: unknown, status = 200) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    if (!m || m[1] !== BENCH_TOKEN) return reply(res, { ok: false, error_code: 404, description: "Not Found" }, 404);
    const method = m[2];
    methods.set(method, (methods.get(method) ?? 0) + 1);
    let body: Record<string, any> = {};
    try {
      if (parts.length) body = JSON.parse(Buffer.concat(parts).toString("utf8"));
    } catch {
      body = {};
    }
    const ok = (result: unknown) => reply(res, { ok: true, result });
    switch (method) {
      case "getMe":
        return ok(BOT);
      case "getUpdates": {
        const offset = Number(body.offset ?? 0);
        const take = () => {
          while (updates.length && (updates[0] as { update_id: number }).update_id < offset) updates.shift();
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
            const timer = setTimeout(done, Math.min(Number(body.timeout) * 1000, 30_000));
            pollers.add(done);
            res.on("close", done);
          });
          ready = take();
        }
        return ok(ready);
      }
      case "sendMessage": {
        const chatId = Number(body.chat_id);
        sent.set(chatId, (sent.get(chatId) ?? 0) + 1);
        const w = waiting.get(chatId);
        if (w) {
          waiting.delete(chatId);
          w();
        }
        return ok({ message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "Bench" }, from: BOT, text: String(body.text ?? "") });
      }
      default:
        // sendChatAction, setMyCommands, deleteWebhook, answerCallbackQuery, …: accepted.
        return ok(true);
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token: BENCH_TOKEN,
    methods,
    sentTo: (chatId) => sent.get(chatId) ?? 0,
    ask: (userId, text, timeoutMs) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(userId);
          resolve(false);
        }, timeoutMs);
        waiting.set(userId, () => {
          clearTimeout(timer);
          resolve(true);
        });
        updates.push({
          update_id: nextUpdateId++,
          message: {
            message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), text,
            chat: { id: userId, type: "private", first_name: "Bürgermeisterin" },
            from: { id: userId, is_bot: false, first_name: "Bürgermeisterin", last_name: `Nr. ${userId}` },
          },
        });
        for (const p of [...pollers]) p();
      }),
    close: async () => {
      for (const p of [...pollers]) p();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
