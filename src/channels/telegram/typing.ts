import type { Api } from "grammy";
import type { Logger } from "pino";
import type { ChatTarget } from "./conversation.js";

/** Telegram shows "typing…" for about five seconds; renew a little earlier. */
const RENEW_MS = 4_500;
/** A chat action is worthless after a few seconds: cap its retries (auto-retry would wait longer). */
const ACTION_MAX_MS = 5_000;
/** The answer waits at most this long for the first "typing…" to go out, so it shows up first. */
const FIRST_ACTION_WAIT_MS = 1_000;

/**
 * Shows "typing…" while the core works. Never breaks or much delays the answer: failures are only
 * logged; `stop()` ends the renewals and waits briefly for the first action, so it precedes the answer.
 */
export function startTyping(api: Api, target: ChatTarget, log: Logger): { stop: () => Promise<void> } {
  const send = () =>
    api
      // grammY's Node build types its signal with the abort-controller shim; the runtime takes the native one.
      .sendChatAction(target.chatId, "typing", target.threadId ? { message_thread_id: target.threadId } : {}, AbortSignal.timeout(ACTION_MAX_MS) as unknown as Parameters<Api["sendChatAction"]>[3])
      .then(
        () => undefined,
        (err) => log.debug({ err }, "sendChatAction failed"),
      );
  const first = send();
  const timer = setInterval(() => void send(), RENEW_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([first, new Promise<void>((r) => (wait = setTimeout(r, FIRST_ACTION_WAIT_MS)))]);
      clearTimeout(wait);
    },
  };
}
