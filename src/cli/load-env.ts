import dotenv from "dotenv";
import { existsSync, statSync } from "node:fs";
import { ConfigError, loadConfig, type Config } from "../config.js";

/** CLIs and main read .env (if present) once, validate, and exit with a clear message on bad settings. */
export function configFromEnvironment(overrides: Record<string, string> = {}, opts: { needsKnowledge?: boolean } = {}): Config {
  dotenv.config({ quiet: true } as dotenv.DotenvConfigOptions);
  try {
    const config = loadConfig({ ...process.env, ...overrides });
    // A wrong folder would start with an empty knowledge base and hand every question over.
    if (opts.needsKnowledge && (!existsSync(config.knowledgeDir) || !statSync(config.knowledgeDir).isDirectory())) {
      throw new ConfigError([{ setting: "KNOWLEDGE_DIR", message: `folder "${config.knowledgeDir}" does not exist (Ordner mit newsletter/ und faq/ angeben)` }]);
    }
    // A missing folder is created; a file in its place would fail deep in the store with a bare EEXIST.
    if (existsSync(config.dataDir) && !statSync(config.dataDir).isDirectory()) {
      throw new ConfigError([{ setting: "DATA_DIR", message: `"${config.dataDir}" is a file, not a folder (einen Ordner angeben, z. B. ./data)` }]);
    }
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + "\n");
      process.exit(2);
    }
    throw err;
  }
}
