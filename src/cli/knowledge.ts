import { resolve } from "node:path";
import { existsSync, readdirSync } from "node:fs";
import { configFromEnvironment } from "./load-env.js";
import { openStore } from "../store/open-store.js";
import { PublishedKnowledge } from "../knowledge/published.js";

const USAGE = `npm run knowledge -- export ZIELORDNER   schreibt die Wissensbasis, wie der Ortslotse sie beantwortet
                                         (knowledge/ plus alles, was das Team in /staff veröffentlicht
                                         oder zurückgezogen hat) als Dateien; npm run ingest liest sie.
npm run knowledge -- list                zeigt, was das Team veröffentlicht oder zurückgezogen hat.`;

/** npm run knowledge -- export DIR | list: the published knowledge as files, so nothing lives only in a database. */
async function main() {
  const [cmd, target] = process.argv.slice(2);
  if (cmd !== "export" && cmd !== "list") {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = configFromEnvironment({}, { needsKnowledge: true });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const published = new PublishedKnowledge(store);
    if (cmd === "list") {
      for (const e of await published.list()) {
        const last = e.log.at(-1);
        process.stdout.write(`${e.status === "live" ? "aktiv       " : "zurückgez.  "} ${e.path}  ${last ? `${last.action} von ${last.by} am ${last.at.slice(0, 10)}` : ""}\n`);
      }
      return;
    }
    if (!target) {
      process.stderr.write(`Bitte einen Zielordner angeben.\n${USAGE}\n`);
      process.exit(2);
    }
    const dir = resolve(target);
    if (existsSync(dir) && readdirSync(dir).length) {
      process.stderr.write(`Der Zielordner ${dir} ist nicht leer. Bitte einen leeren oder neuen Ordner angeben.\n`);
      process.exit(2);
    }
    const { published: n, retired } = await published.materialize(config.knowledgeDir, dir);
    process.stdout.write(`Wissensbasis nach ${dir} geschrieben: Dateien aus ${config.knowledgeDir}, ${n} veröffentlicht, ${retired} zurückgezogen.\nEinlesen: KNOWLEDGE_DIR=${dir} npm run ingest\n`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
