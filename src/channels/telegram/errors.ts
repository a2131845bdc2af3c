import { BotError, GrammyError } from "grammy";
import pino, { type Logger } from "pino";

/**
 * GrammyError keeps the request payload, i.e. the message text sent to a mayor. Logs must not carry
 * message texts (data protection), so every Bot API error is stripped of it before it is logged or
 * passed on (the hand-over service logs sender errors and stores their message on the ticket).
 */
export function withoutPayload<T>(err: T): T | GrammyError {
  if (err instanceof BotError) return withoutPayload(err.error) as T;
  if (!(err instanceof GrammyError)) return err;
  const clean = new GrammyError(
    `Call to '${err.method}' failed!`,
    { ok: false, error_code: err.error_code, description: err.description, parameters: err.parameters },
    err.method,
    {},
  );
  clean.stack = err.stack;
  return clean;
}

/** A child logger whose `err` serializer drops Bot API payloads; every Telegram log line goes through it. */
export function payloadFreeLogger(log: Logger): Logger {
  return log.child({}, { serializers: { err: (e: unknown) => pino.stdSerializers.err(withoutPayload(e) as Error) } });
}
