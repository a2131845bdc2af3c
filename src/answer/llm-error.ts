/** The LLM could not give a usable answer; `kind` tells the caller whether a fallback makes sense. */
export class LlmError extends Error {
  constructor(
    public readonly kind: "timeout" | "rate_limited" | "server" | "malformed" | "network" | "ungrounded" | "other",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LlmError";
  }
}
