import { configFromEnvironment } from "./load-env.js";
import { createLogger } from "../logger.js";
import { createCore } from "../app.js";
import { currentDigest, runDigest } from "../digest/run-digest.js";
import { createTelegramChannel } from "../channels/telegram/index.js";
import { createTeamsChannel } from "../channels/teams/index.js";
import { createWebChannel } from "../channels/web/index.js";

/** npm run digest -- --preview | --send-now */
async function main() {
  const args = process.argv.slice(2);
  const config = configFromEnvironment();
  const log = createLogger(process.env.LOG_LEVEL ?? "warn");
  const core = await createCore(config, log);
  try {
    if (args.includes("--send-now")) {
      for (const create of [createTelegramChannel, createTeamsChannel, createWebChannel]) {
        const rt = await create({ config, core, log });
        if (rt) core.delivery.registerSender(rt.sender);
      }
      const r = await runDigest(core);
      process.stdout.write(r ? `Wochenüberblick ${r.key}: ${r.sent} gesendet, ${r.skipped} schon erhalten, ${r.failed} fehlgeschlagen, ${r.unsubscribed} abgemeldet.\n` : "Nichts Neues – nicht gesendet (DIGEST_SEND_EMPTY=false).\n");
    } else {
      const d = await currentDigest(core);
      const subs = await core.store.listSubscriptions();
      process.stdout.write(`${d.text}\n\n--- Vorschau ${d.key}: ${subs.length} abonnierte Chats. Senden mit: npm run digest -- --send-now\n`);
    }
  } finally {
    await core.delivery.noticesSent();
    await core.store.close();
  }
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
