import pino from "pino";
import { loadConfig, type Config } from "../../src/config.js";
import { createCore, type Core } from "../../src/app.js";
import { startOrtslotse, type RunningApp } from "../../src/start.js";
import { FIXTURE_KNOWLEDGE, tempDir } from "./temp.js";

export const silentLog = pino({ level: "silent" });

export function testConfig(env: Record<string, string> = {}): { config: Config; cleanup: () => void } {
  const t = tempDir();
  const config = loadConfig({
    DATA_DIR: t.dir,
    KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
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
