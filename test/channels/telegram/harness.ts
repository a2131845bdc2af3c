import { createTelegramChannel, type TelegramRuntime } from "../../../src/channels/telegram/index.js";
import type { BotOptions } from "../../../src/channels/telegram/bot.js";
import { makeCore, silentLog } from "../../support/core.js";
import { expect } from "vitest";
import { startFakeTelegram, TEST_BOT, TEST_TOKEN, textUpdate, type FakeTelegram, type Person, type TgCall } from "../../support/telegram-api.js";

export interface Harness {
  api: FakeTelegram;
  core: Awaited<ReturnType<typeof makeCore>>;
  rt: TelegramRuntime;
  /** Feeds one update through the real bot (like the runner or the webhook would). */
  send: (update: unknown) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * A real core over the fixture knowledge, the real Telegram channel (grammY bot, sender, staff
 * notifier) pointed at a local fake Bot API server, wired like src/start.ts wires it.
 */
export async function telegramHarness(env: Record<string, string> = {}, opts: BotOptions = {}): Promise<Harness> {
  const api = await startFakeTelegram();
  const core = await makeCore({ TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, ...env });
  const rt = (await createTelegramChannel({ config: core.config, core, log: silentLog }, { botInfo: TEST_BOT, ...opts }))!;
  core.delivery.registerSender(rt.sender);
  if (rt.staffNotifier) core.delivery.registerNotifier(rt.staffNotifier);
  return {
    api,
    core,
    rt,
    // Staff notices go out after the reply, from the store's queue: wait for them too.
    send: async (u) => {
      await rt.bot.handleUpdate(u as Parameters<typeof rt.bot.handleUpdate>[0]);
      await core.delivery.noticesSent();
    },
    close: async () => {
      await rt.stop();
      await core.cleanup();
      await api.close();
    },
  };
}

/** A question the fixture knowledge does not cover: it becomes a Vorgang. */
export const OUT_OF_SCOPE = "Welche Windkraftanlagen sind in der VG Ruwer geplant?";

/** New mayors, each with their own id and last name (numbered from `first`). */
export function mayors(first: number): () => Person {
  let next = first;
  return () => ({ id: next++, first_name: "Maria", last_name: `Muster${next}` });
}

/** A mayor's uncovered question: the Vorgang's id and its post in the staff chat. */
export async function handOverToStaff(h: Harness, staffChat: number, p: Person): Promise<{ ticketId: number; post: TgCall }> {
  await h.send(textUpdate(OUT_OF_SCOPE, { from: p }));
  const ticket = (await h.core.store.listTickets()).find((t) => t.conversationId === String(p.id))!;
  expect(ticket).toBeDefined();
  const post = h.api.sent(staffChat).find((c) => c.body.text.includes(`Vorgang Nr. ${ticket.id}</b>`))!;
  expect(post).toBeDefined();
  return { ticketId: ticket.id, post };
}
