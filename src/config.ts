import { z } from "zod";

/** Env values arrive as strings; empty strings mean "not set" (a blank line in .env must not enable a feature). */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const bool = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      const s = v.trim().toLowerCase();
      if (["1", "true", "yes", "ja", "on"].includes(s)) return true;
      if (["0", "false", "no", "nein", "off"].includes(s)) return false;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be true or false, got "${v}"` });
      return z.NEVER;
    });

const int = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      const n = Number(v.trim());
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const num = <D extends number | undefined>(def: D, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx): number | D => {
      if (v === undefined || v.trim() === "") return def;
      const n = Number(v.trim());
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const url = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return undefined;
    try {
      const u = new URL(v.trim());
      if (!/^https?:$/.test(u.protocol)) throw new Error("protocol");
      return v.trim().replace(/\/+$/, "");
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be an http(s) URL, got "${v}"` });
      return z.NEVER;
    }
  });

const EnvSchema = z.object({
  PORT: int(3978, 0, 65535),
  HOST: z.string().optional().transform((v) => v?.trim() || "0.0.0.0"),
  PUBLIC_URL: url,
  DATA_DIR: z.string().optional().transform((v) => v?.trim() || "./data"),
  KNOWLEDGE_DIR: z.string().optional().transform((v) => v?.trim() || "./knowledge"),
  PROMPTS_DIR: z.string().optional().transform((v) => v?.trim() || "./prompts"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .optional()
    .default("info"),
  DATABASE_URL: optionalString,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url,
  OPENAI_CHAT_MODEL: z.string().optional().transform((v) => v?.trim() || "gpt-4o-mini"),
  OPENAI_EMBEDDING_MODEL: optionalString,
  OPENAI_TRANSCRIPTION_MODEL: optionalString,
  LLM_TIMEOUT_MS: int(8000, 500, 300000),
  LLM_MAX_RETRIES: int(0, 0, 5),
  LLM_REDACT_PII: bool(true),

  ANSWER_MIN_CONFIDENCE: num(undefined, 0, 1),
  FOLLOWUP_WINDOW_MINUTES: int(30, 0, 1440),

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: url,
  TELEGRAM_WEBHOOK_URL: url,
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  TELEGRAM_STAFF_CHAT_ID: optionalString,

  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z
    .enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"])
    .optional()
    .default("MultiTenant"),
  MicrosoftAppTenantId: optionalString,
  TEAMS_ALLOW_UNAUTHENTICATED: bool(false),
  TEAMS_STAFF_USERS: optionalString,
  TEAMS_ALLOWED_TENANTS: optionalString,

  HANDOVER_REMIND_HOURS: int(24, 1, 24 * 30),
  KNOWLEDGE_POLL_SECONDS: int(30, 1, 3600),
  KNOWLEDGE_STALE_MONTHS: int(12, 1, 120),

  DIGEST_CRON: z.string().optional().transform((v) => v?.trim() || "0 8 * * 1"),
  DIGEST_TIMEZONE: z.string().optional().transform((v) => v?.trim() || "Europe/Berlin"),
  DIGEST_DEADLINE_DAYS: int(42, 1, 366),
  DIGEST_SEND_EMPTY: bool(true),

  RATE_LIMIT_PER_MINUTE: int(10, 1, 1000),
  TRUST_PROXY: int(0, 0, 5),
  HTTP_REQUEST_TIMEOUT_SECONDS: int(30, 1, 600),
  MAX_CONNECTIONS_PER_ADDRESS: int(50, 0, 10_000),
  ACCESS_MODE: z.enum(["open", "invite"]).optional().default("open"),
  RETENTION_DAYS: int(180, 1, 3650),
  CONTACT_TEXT: z
    .string()
    .optional()
    .transform(
      (v) =>
        v?.trim() ||
        "Kreisverwaltung Trier-Saarburg, Leitstelle Familie – Projekt „Hauptamt stärkt Ehrenamt“ (https://trier-saarburg.de/hauptamt-staerkt-ehrenamt/)",
    ),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  publicUrl?: string;
  dataDir: string;
  knowledgeDir: string;
  promptsDir: string;
  logLevel: Env["LOG_LEVEL"];
  databaseUrl?: string;
  llm?: {
    apiKey: string;
    baseURL?: string;
    chatModel: string;
    timeoutMs: number;
    maxRetries: number;
    redactPii: boolean;
  };
  embeddingModel?: string;
  transcriptionModel?: string;
  /** Overrides the calibrated answer threshold (language/calibration.json); undefined: use that. */
  answerMinConfidence?: number;
  followupWindowMinutes: number;
  telegram?: {
    token: string;
    apiRoot?: string;
    webhookUrl?: string;
    webhookSecret?: string;
    staffChatId?: string;
  };
  teams: {
    appId?: string;
    appPassword?: string;
    appType: Env["MicrosoftAppType"];
    tenantId?: string;
    allowUnauthenticated: boolean;
    staffUsers: string[];
    /** Microsoft 365 tenants (directory ids) whose users may talk to the bot; empty = any tenant. */
    allowedTenants: string[];
  };
  handoverRemindHours: number;
  digest: { cron: string; timezone: string; deadlineDays: number; sendEmpty: boolean };
  /** How often an instance looks for knowledge that staff published on another instance. */
  knowledgePollSeconds: number;
  /** Entries whose Stand is older are marked in /staff → Wissen. */
  knowledgeStaleMonths: number;
  rateLimitPerMinute: number;
  /** Reverse proxies in front of the server whose X-Forwarded-For entries are believed (0 = none). */
  trustProxy: number;
  http: { requestTimeoutMs: number; perAddress: number };
  accessMode: "open" | "invite";
  retentionDays: number;
  contactText: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: { setting: string; message: string }[]) {
    super(
      "Ungültige Einstellungen / invalid configuration:\n" +
        problems.map((p) => `  ${p.setting}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** Pure: takes an environment object, returns typed config or throws ConfigError naming each bad setting. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ setting: String(i.path[0] ?? "?"), message: i.message })),
    );
  }
  const e = parsed.data;
  const problems: { setting: string; message: string }[] = [];
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_BOT_TOKEN)
    problems.push({ setting: "TELEGRAM_WEBHOOK_URL", message: "needs TELEGRAM_BOT_TOKEN as well" });
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET)
    problems.push({
      setting: "TELEGRAM_WEBHOOK_SECRET",
      message: "is required in webhook mode (16–256 characters A-Z a-z 0-9 _ -)",
    });
  // Telegram allows 1–256 characters; a short secret can be guessed, so at least 16.
  if (e.TELEGRAM_WEBHOOK_SECRET && !/^[A-Za-z0-9_-]{16,256}$/.test(e.TELEGRAM_WEBHOOK_SECRET))
    problems.push({ setting: "TELEGRAM_WEBHOOK_SECRET", message: "must be 16–256 characters of A-Z a-z 0-9 _ - (a long random value)" });
  if (e.TELEGRAM_BOT_TOKEN && !/^\d+:[A-Za-z0-9_-]+$/.test(e.TELEGRAM_BOT_TOKEN))
    problems.push({ setting: "TELEGRAM_BOT_TOKEN", message: "does not look like a BotFather token (123456:ABC…)" });
  if (e.MicrosoftAppId && !e.MicrosoftAppPassword && e.MicrosoftAppType !== "UserAssignedMSI")
    problems.push({ setting: "MicrosoftAppPassword", message: "is required when MicrosoftAppId is set" });
  if (e.MicrosoftAppType === "SingleTenant" && e.MicrosoftAppId && !e.MicrosoftAppTenantId)
    problems.push({ setting: "MicrosoftAppTenantId", message: "is required for MicrosoftAppType=SingleTenant" });
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL))
    problems.push({ setting: "DATABASE_URL", message: "must start with postgres:// (leave it empty for SQLite)" });
  if (problems.length) throw new ConfigError(problems);

  const llmEnabled = Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    dataDir: e.DATA_DIR,
    knowledgeDir: e.KNOWLEDGE_DIR,
    promptsDir: e.PROMPTS_DIR,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    llm: llmEnabled
      ? {
          // Self-hosted endpoints (Ollama, vLLM) accept any key; the client insists on one.
          apiKey: e.OPENAI_API_KEY ?? "not-needed",
          baseURL: e.OPENAI_BASE_URL,
          chatModel: e.OPENAI_CHAT_MODEL,
          timeoutMs: e.LLM_TIMEOUT_MS,
          maxRetries: e.LLM_MAX_RETRIES,
          redactPii: e.LLM_REDACT_PII,
        }
      : undefined,
    embeddingModel: llmEnabled ? e.OPENAI_EMBEDDING_MODEL : undefined,
    transcriptionModel: llmEnabled ? e.OPENAI_TRANSCRIPTION_MODEL : undefined,
    answerMinConfidence: e.ANSWER_MIN_CONFIDENCE,
    followupWindowMinutes: e.FOLLOWUP_WINDOW_MINUTES,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT,
          webhookUrl: e.TELEGRAM_WEBHOOK_URL,
          webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
          staffChatId: e.TELEGRAM_STAFF_CHAT_ID,
        }
      : undefined,
    teams: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId,
      allowUnauthenticated: e.TEAMS_ALLOW_UNAUTHENTICATED,
      staffUsers: (e.TEAMS_STAFF_USERS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
      allowedTenants: (e.TEAMS_ALLOWED_TENANTS ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean),
    },
    handoverRemindHours: e.HANDOVER_REMIND_HOURS,
    knowledgePollSeconds: e.KNOWLEDGE_POLL_SECONDS,
    knowledgeStaleMonths: e.KNOWLEDGE_STALE_MONTHS,
    digest: {
      cron: e.DIGEST_CRON,
      timezone: e.DIGEST_TIMEZONE,
      deadlineDays: e.DIGEST_DEADLINE_DAYS,
      sendEmpty: e.DIGEST_SEND_EMPTY,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      // Behind a trusted proxy every connection has the proxy's address: no cap unless one is set explicitly.
      perAddress: e.TRUST_PROXY > 0 && !env.MAX_CONNECTIONS_PER_ADDRESS?.trim() ? 0 : e.MAX_CONNECTIONS_PER_ADDRESS,
    },
    accessMode: e.ACCESS_MODE,
    retentionDays: e.RETENTION_DAYS,
    contactText: e.CONTACT_TEXT,
  };
}
