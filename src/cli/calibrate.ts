import { writeFileSync } from "node:fs";
import { configFromEnvironment } from "./load-env.js";
import { createLogger } from "../logger.js";
import { createEmbedder, openKnowledge } from "../retrieval/knowledge-base.js";
import { createLanguage } from "../app.js";
import { CALIBRATION_FILE, ConfidenceModel, FEATURES, type CalibrationFile } from "../core/confidence-model.js";
import { fitLogistic, predictLogistic } from "../core/logistic.js";
import { CALIBRATION_FILES, readItems } from "../eval/dataset.js";
import { collectRows, type AskRows } from "../eval/collect.js";
import { chooseThreshold, formatRiskTable, riskTable, type Decision } from "../eval/risk-coverage.js";

/** A wrong answer misleads a mayor who trusts it: it costs at least three needless hand-overs. */
export const COST_WRONG_VS_MISSED = 3;
const FOLDS = 5;
const LAMBDA = 1;

function fold(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % FOLDS;
}

function fit(rows: AskRows[]) {
  const x = rows.flatMap((r) => r.candidates.map((c) => c.x));
  const y = rows.flatMap((r) => r.candidates.map((c) => c.y));
  return fitLogistic(x, y, LAMBDA);
}

/** Each question's best candidate under a model: the one with the highest probability. */
function decide(rows: AskRows[], p: (x: number[]) => number): Decision[] {
  return rows.map((r) => {
    const scored = r.candidates.map((c) => ({ p: p(c.x), y: c.y })).sort((a, b) => b.p - a.p);
    return { answerable: r.answerable, p: scored[0]?.p ?? 0, right: scored[0]?.y === 1 };
  });
}

/**
 * npm run calibrate: fits the answer confidence (logistic regression over the answerability features) on
 * the calibration part of the labelled questions, chooses the threshold on out-of-fold predictions with
 * a wrong answer costing three needless hand-overs, and writes language/calibration.json.
 * The held-out part (eval/holdout.jsonl) is never read here.
 */
async function main() {
  const config = configFromEnvironment();
  const log = createLogger("error");
  const { retriever } = await openKnowledge({ knowledgeDir: config.knowledgeDir, dataDir: config.dataDir, embedder: createEmbedder(config), log });
  const neutral = new ConfidenceModel({
    fittedOn: { command: "", files: [], rows: 0, questions: 0 },
    features: [...FEATURES], mean: FEATURES.map(() => 0), scale: FEATURES.map(() => 1), weights: FEATURES.map(() => 0), bias: 0,
    threshold: 0.5, costWrongVsMissed: COST_WRONG_VS_MISSED,
  });
  const { understander, planner } = createLanguage(retriever, neutral);
  const items = CALIBRATION_FILES.flatMap((f) => readItems(f));
  const rows = (await collectRows(items, understander, planner)).filter((r) => r.candidates.length);

  // Out-of-fold probabilities: each question judged by a model that never saw it.
  const oof: Decision[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const m = fit(rows.filter((r) => fold(r.itemId) !== k));
    oof.push(...decide(rows.filter((r) => fold(r.itemId) === k), (x) => predictLogistic(m, x)));
  }
  const chosen = chooseThreshold(oof, COST_WRONG_VS_MISSED);
  const final = fit(rows);
  const file: CalibrationFile = {
    fittedOn: {
      command: "npm run calibrate", files: CALIBRATION_FILES, rows: rows.reduce((a, r) => a + r.candidates.length, 0),
      questions: rows.length,
    },
    features: [...FEATURES], mean: final.mean, scale: final.scale, weights: final.weights, bias: final.bias,
    threshold: chosen.threshold, costWrongVsMissed: COST_WRONG_VS_MISSED,
  };
  const round = (v: number) => Number(v.toFixed(6));
  file.mean = file.mean.map(round);
  file.scale = file.scale.map(round);
  file.weights = file.weights.map(round);
  file.bias = round(file.bias);
  const out = process.argv.includes("--check") ? undefined : CALIBRATION_FILE;
  if (out) writeFileSync(out, JSON.stringify(file, null, 2) + "\n");
  const lines = [
    `Kalibrierung: ${items.length} Fragen (${CALIBRATION_FILES.join(", ")}), ${rows.length} Teilfragen mit Kandidaten, ${file.fittedOn.rows} Zeilen`,
    "Gewichte (standardisiert):",
    ...FEATURES.map((f, i) => `  ${f.padEnd(16)} ${file.weights[i] >= 0 ? " " : ""}${file.weights[i].toFixed(3)}`),
    `  bias             ${file.bias.toFixed(3)}`,
    `Schwelle ${chosen.threshold.toFixed(2)} (falsche Antwort = ${COST_WRONG_VS_MISSED} × unnötige Übergabe; gewählt auf Out-of-fold-Vorhersagen, ${FOLDS} Teile)`,
    "Risiko–Abdeckung (Out-of-fold, je Teilfrage):",
    formatRiskTable([...riskTable(oof, COST_WRONG_VS_MISSED), chosen].sort((a, b) => a.threshold - b.threshold), chosen.threshold),
    out ? `Geschrieben: ${out}` : "(--check: nichts geschrieben)",
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
