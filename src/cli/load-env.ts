import dotenv from "dotenv";
import { ConfigError, loadConfig, type Config } from "../config.js";

/** CLIs and main read .env (if present) once, validate, and exit with a clear message on bad settings. */
export function configFromEnvironment(overrides: Record<string, string> = {}): Config {
  dotenv.config({ quiet: true } as dotenv.DotenvConfigOptions);
  try {
    return loadConfig({ ...process.env, ...overrides });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + "\n");
      process.exit(2);
    }
    throw err;
  }
}
