import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { configFromEnvironment } from "./load-env.js";
import { buildAppPackage } from "../channels/teams/manifest.js";

/**
 * npm run teams:package [-- --out appPackage.zip] [-- --version 1.2.3]
 * Writes the sideloadable Teams app package (manifest.json, color.png, outline.png) for the bot whose
 * MicrosoftAppId is set in .env / the environment.
 */
async function main() {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const config = configFromEnvironment();
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  const out = resolve(option("--out") ?? "appPackage.zip");
  const { zip, manifest, warnings } = await buildAppPackage({
    appId: config.teams.appId,
    version: option("--version") ?? pkg.version,
    publicUrl: config.publicUrl,
  });
  for (const w of warnings) process.stderr.write(`Warnung: ${w}\n`);
  writeFileSync(out, zip);
  process.stdout.write(`Teams-App-Paket geschrieben: ${out}\n  App-/Bot-ID: ${String(manifest.id)}\n  Version: ${String(manifest.version)}\n`);
}

main().catch((err) => {
  process.stderr.write(`teams:package fehlgeschlagen: ${(err as Error).message}\n`);
  process.exit(1);
});
