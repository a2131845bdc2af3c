import { configFromEnvironment } from "./load-env.js";
import { createLogger } from "../logger.js";
import { createEmbedder } from "../retrieval/knowledge-base.js";
import { buildIndex, EmptyKnowledgeError } from "../retrieval/build-index.js";

/** npm run ingest: (re)builds the knowledge index; lists skipped files by name; exit 1 if any was skipped or none was found. */
async function main() {
  const config = configFromEnvironment();
  const log = createLogger(process.env.LOG_LEVEL ?? "warn");
  const embedder = createEmbedder(config);
  const started = Date.now();
  const r = await buildIndex({ knowledgeDir: config.knowledgeDir, dataDir: config.dataDir, embedder });
  const lines = [
    `Wissensbasis: ${r.docs} Dateien, ${r.chunks} Abschnitte (${r.embedded} neu eingebettet, ${r.reused} unverändert) in ${Date.now() - started} ms.`,
    `Embedder: ${embedder.id}`,
  ];
  if (r.added.length) lines.push(`Neu: ${r.added.length}`);
  if (r.changed.length) lines.push(`Geändert: ${r.changed.join(", ")}`);
  if (r.removed.length) lines.push(`Entfernt: ${r.removed.join(", ")}`);
  for (const p of r.problems) lines.push(`ÜBERSPRUNGEN ${p.file}: ${p.message}`);
  process.stdout.write(lines.join("\n") + "\n");
  log.flush?.();
  if (!r.docs) process.stderr.write(`Keine Wissensdateien in ${config.knowledgeDir} gefunden (KNOWLEDGE_DIR prüfen).\n`);
  process.exitCode = r.problems.length || !r.docs ? 1 : 0;
}

main().catch((err) => {
  if (err instanceof EmptyKnowledgeError) {
    process.stderr.write(`${err.message} KNOWLEDGE_DIR prüfen.\n`);
    process.exit(1);
  }
  process.stderr.write(`Fehler beim Einlesen: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
