import { randomBytes } from "node:crypto";
import { configFromEnvironment } from "./load-env.js";
import { openStore } from "../store/open-store.js";

/** npm run invite -- [ANZAHL] [--by NAME] | --list : invite codes for ACCESS_MODE=invite. */
async function main() {
  const args = process.argv.slice(2);
  const config = configFromEnvironment();
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    if (args.includes("--list")) {
      for (const i of await store.listInvites()) process.stdout.write(`${i.code}  ${i.createdAt.slice(0, 10)}  ${i.usedBy ? `benutzt ${i.usedAt?.slice(0, 10)}` : "offen"}\n`);
      return;
    }
    const n = Math.min(100, Math.max(1, Number(args.find((a) => /^\d+$/.test(a)) ?? 1)));
    const byIdx = args.indexOf("--by");
    const by = byIdx >= 0 ? args[byIdx + 1] ?? "staff" : "staff";
    for (let i = 0; i < n; i++) {
      const code = randomBytes(9).toString("base64url");
      await store.createInvite(code, by);
      process.stdout.write(`${code}   Telegram: https://t.me/<IHR_BOT>?start=${code}   Teams/Web: „start ${code}“\n`);
    }
    process.stderr.write(`Jeder Code gilt für eine Person. ACCESS_MODE=${config.accessMode}${config.accessMode === "open" ? " (Codes wirken erst mit ACCESS_MODE=invite)" : ""}\n`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
