import pino from "pino";
import { loadConfig, type Config } from "../../src/config.js";
import { createCore, type Core } from "../../src/app.js";
import { startOrtslotse, type RunningApp } from "../../src/start.js";
import { FIXTURE_KNOWLEDGE, tempDir } from "./temp.js";

export const silentLog = pino({ level: "silent" });

/**
 * The answer threshold for the fixture knowledge (a small, partly edited copy of knowledge/). The shipped
 * threshold is calibrated for the real knowledge with its labelled examples (test/eval and
 * test/core/trustworthy.test.ts check that); tests over the fixture check how questions and answers travel
 * through channels, hand-over and stores, and keep the threshold the fixture's questions were written for.
 */
export const FIXTURE_THRESHOLD = "0.7";

export function testConfig(env: Record<string, string> = {}): { config: Config; cleanup: () => void } {
  const t = tempDir();
  const fixture = !env.KNOWLEDGE_DIR || env.KNOWLEDGE_DIR === FIXTURE_KNOWLEDGE;
  const config = loadConfig({
    DATA_DIR: t.dir,
    KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
    ...(fixture ? { ANSWER_MIN_CONFIDENCE: FIXTURE_THRESHOLD } : {}),
    PROMPTS_DIR: "prompts",
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    ...env,
  });
  return { config, cleanup: t.cleanup };
}

/** A real core (SQLite file, hnswlib index, assistant) over the fixture knowledge in a temp DATA_DIR. */
export async function makeCore(env: Record<string, string> = {}): Promise<Core & { cleanup: () => Promise<void> }> {
  const { config, cleanup } = testConfig(env);
  const core = await createCore(config, silentLog);
  return Object.assign(core, {
    cleanup: async () => {
      await core.store.close();
      cleanup();
    },
  });
}

/** The whole app on a free loopback port (HTTP server and every channel the env enables). */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp & { baseUrl: string; cleanup: () => Promise<void> }> {
  const { config, cleanup } = testConfig(env);
  const app = await startOrtslotse(config, silentLog);
  return Object.assign(app, {
    baseUrl: `http://127.0.0.1:${app.port}`,
    cleanup: async () => {
      await app.stop();
      cleanup();
    },
  });
}
