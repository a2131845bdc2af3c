import { chromium, type BrowserContext } from "playwright-core";
import { existsSync, mkdirSync } from "node:fs";
import { tempDir } from "./temp.js";

/** Debian's chromium (apt-get install -y chromium); `npx playwright install` cannot download here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const inCi = Boolean(process.env.CI) && !/^(0|false|no)$/i.test(process.env.CI ?? "");

/**
 * Whether the browser suites run: when Chromium is installed, and in CI always — there a missing Chromium
 * makes them fail (launchBrowser throws) instead of passing silently. Locally without it they are skipped
 * with one printed line saying what to install, like the PostgreSQL suites.
 */
export const browserTests: { enabled: boolean; reason?: string } = existsSync(CHROMIUM_PATH) || inCi
  ? { enabled: true }
  : { enabled: false, reason: `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH); browser tests skipped` };

/** Prints why the browser suites of a file are skipped (call once per file). */
export function reportBrowserSkip(file: string): void {
  if (!browserTests.enabled) console.warn(`[${file}] ${browserTests.reason}`);
}

/** Where browser tests put their screenshots (gitignored); look at them after a run. */
export const SCREENSHOT_DIR = "test-results";

/**
 * A real headless Chromium with a fresh profile (its own --user-data-dir, removed on close), so no
 * cookie or cache survives from one test file to the next.
 */
export async function launchBrowser(opts: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const profile = tempDir("ortslotse-chromium-");
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
  });
  return {
    context,
    close: async () => {
      await context.close();
      profile.cleanup();
    },
  };
}
