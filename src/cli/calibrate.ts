import { writeFileSync } from "node:fs";
import { configFromEnvironment } from "./load-env.js";
import { createLogger } from "../logger.js";
import { createEmbedder, openKnowledge } from "../retrieval/knowledge-base.js";
import { createLanguage } from "../app.js";
import { loadProgrammes } from "../funding/programmes.js";
import { Purposes } from "../funding/purposes.js";
import { CALIBRATION_FILE, ConfidenceModel, MODEL_FEATURES } from "../core/confidence-model.js";
import { EXAMPLES_FILE, ExampleMemory } from "../core/example-memory.js";
import { CALIBRATION_FILES, readItems, thresholdIds as thresholdQuestionIds } from "../eval/dataset.js";
import { calibrate, COST_WRONG_VS_MISSED, neutralCalibration, phrasingExamples } from "../eval/calibration.js";
import { formatRiskTable, formatThreshold, riskTable } from "../eval/risk-coverage.js";

/**
 * npm run calibrate [-- --check] [-- --oof FILE]: fits the answer confidence on the calibration part of the
 * labelled questions and writes language/calibration.json (--check: prints only; --oof: each sub-question's
 * out-of-fold decision as JSON lines, to see which questions the model gets wrong). The held-out part
 * (eval/holdout.jsonl) is never read here.
 */
async function main() {
  const config = configFromEnvironment({}, { needsKnowledge: true });
  const { retriever } = await openKnowledge({ knowledgeDir: config.knowledgeDir, dataDir: config.dataDir, embedder: createEmbedder(config), log: createLogger("error") });
  const names = loadProgrammes(config.knowledgeDir, new Purposes().ids).map((p) => p.names);
  // Neutral model and no examples: the planner only collects features here; the examples are built from these questions.
  const { understander, planner } = createLanguage(retriever, new ConfidenceModel(neutralCalibration()), names, new ExampleMemory([]));
  const items = CALIBRATION_FILES.flatMap((f) => readItems(f));
  const thresholdIds = thresholdQuestionIds();
  const { file, examples, outOfFold, chosen } = await calibrate(items, CALIBRATION_FILES, understander, planner, (id) => thresholdIds.has(id), phrasingExamples(retriever));
  const write = !process.argv.includes("--check");
  const oofAt = process.argv.indexOf("--oof");
  if (oofAt > 0 && process.argv[oofAt + 1]) writeFileSync(process.argv[oofAt + 1], outOfFold.map((d) => JSON.stringify(d)).join("\n") + "\n");
  if (write) {
    writeFileSync(CALIBRATION_FILE, JSON.stringify(file, null, 2) + "\n");
    writeFileSync(EXAMPLES_FILE, JSON.stringify(examples) + "\n");
  }
  const lines = [
    `Kalibrierung: ${items.length} Fragen (${CALIBRATION_FILES.join(", ")}), ${file.fittedOn.questions} Teilfragen mit Kandidaten, ${file.fittedOn.rows} Zeilen`,
    "Gewichte (standardisiert):",
    ...MODEL_FEATURES.map((f, i) => `  ${f.padEnd(18)} ${file.weights[i] >= 0 ? " " : ""}${file.weights[i].toFixed(3)}`),
    `  bias               ${file.bias.toFixed(3)}`,
    ...(file.withoutExamples
      ? ["Ohne Beispiel-Merkmale (Einträge, die keine gelabelte Frage nennt):", ...file.withoutExamples.features.map((f, i) => `  ${f.padEnd(18)} ${file.withoutExamples!.weights[i] >= 0 ? " " : ""}${file.withoutExamples!.weights[i].toFixed(3)}`), `  bias               ${file.withoutExamples.bias.toFixed(3)}`]
      : []),
    `Schwelle ${formatThreshold(chosen.threshold)} (falsche Antwort = ${COST_WRONG_VS_MISSED} × unnötige Übergabe; gewählt auf Out-of-fold-Vorhersagen)`,
    "Risiko–Abdeckung (Out-of-fold, je Teilfrage):",
    formatRiskTable([...riskTable(outOfFold, COST_WRONG_VS_MISSED), chosen].sort((a, b) => a.threshold - b.threshold)
      .filter((r, i, a) => i === 0 || r.threshold !== a[i - 1].threshold), chosen.threshold),
    write ? `Geschrieben: ${CALIBRATION_FILE}, ${EXAMPLES_FILE} (${examples.examples.length} Beispiele)` : "(--check: nichts geschrieben)",
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
