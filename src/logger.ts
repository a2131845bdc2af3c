import pino, { type Logger } from "pino";
import { currentRequestId } from "./request-context.js";

/** Structured JSON logs, one event per line; message texts only at debug level (data protection). */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: "ortslotse" },
      redact: { paths: ["*.token", "*.password", "*.apiKey", "req.headers.authorization", "req.headers.cookie"], censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination ?? pino.destination(2),
  );
}
