import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("settings", () => {
  it("starts with no settings at all: offline, SQLite, web chat only", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3978, dataDir: "./data", knowledgeDir: "./knowledge", accessMode: "open", retentionDays: 180 });
    expect(c.llm).toBeUndefined();
    expect(c.telegram).toBeUndefined();
    expect(c.teams.appId).toBeUndefined();
    expect(c.digest).toEqual({ cron: "0 8 * * 1", timezone: "Europe/Berlin", deadlineDays: 42, sendEmpty: true });
  });

  it("treats blank values as unset", () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "  ", OPENAI_API_KEY: "" }).telegram).toBeUndefined();
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ LLM_TIMEOUT_MS: "-5" }, "LLM_TIMEOUT_MS"],
    [{ OPENAI_BASE_URL: "not a url" }, "OPENAI_BASE_URL"],
    [{ TELEGRAM_BOT_TOKEN: "nonsense" }, "TELEGRAM_BOT_TOKEN"],
    [{ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_WEBHOOK_URL: "https://bot.example.org/telegram" }, "TELEGRAM_WEBHOOK_SECRET"],
    [{ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_WEBHOOK_URL: "https://bot.example.org/telegram", TELEGRAM_WEBHOOK_SECRET: "kurz" }, "TELEGRAM_WEBHOOK_SECRET"],
    [{ MicrosoftAppId: "x" }, "MicrosoftAppPassword"],
    [{ ACCESS_MODE: "closed" }, "ACCESS_MODE"],
    [{ LLM_REDACT_PII: "vielleicht" }, "LLM_REDACT_PII"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
  ])("names the bad setting %j", (env, name) => {
    let err: unknown;
    try {
      loadConfig(env as Record<string, string>);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.setting)).toContain(name);
    expect((err as Error).message).toContain(name);
  });

  it("enables the LLM for a self-hosted endpoint without a key", () => {
    const c = loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_CHAT_MODEL: "llama3.1" });
    expect(c.llm).toMatchObject({ baseURL: "http://127.0.0.1:11434/v1", chatModel: "llama3.1", apiKey: "not-needed" });
  });
});
