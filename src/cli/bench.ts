import { DEFAULT_SEED, runBench } from "../bench/run-bench.js";
import { renderReport } from "../bench/report.js";

const USAGE = `Aufruf: npm run bench [-- --json] [--quick] [--sizes=1000,10000,100000] [--seed=N] [--no-load] [--keep]
  --json      ein JSON-Objekt statt der Tabelle
  --quick     kleine Größen (1k, 5k; Last 50 × 5) für schnelle Läufe, etwa eine Minute
  --sizes     Korpusgrößen in Chunks für die Suche
  --no-load   ohne den Telegram-Lastlauf
  --keep      temporäre Korpora und DATA_DIRs behalten (Pfad auf stderr)
`;

/** npm run bench: ingest, retrieval at 1k/10k/100k chunks, ask end to end, Telegram load; targets marked ✓/✗. */
async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return;
  }
  const known = /^--(json|quick|no-load|keep|sizes=[\d,_k]+|seed=\d+)$/;
  const bad = args.filter((a) => !known.test(a));
  if (bad.length) {
    process.stderr.write(`Unbekannte Option: ${bad.join(" ")}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const sizes = value("sizes")
    ?.split(",")
    .filter(Boolean)
    .map((s) => Number(s.replace(/_/g, "").replace(/k$/i, "000")));
  if (sizes?.some((n) => !Number.isInteger(n) || n < 1 || n > 1_000_000)) {
    process.stderr.write("--sizes: ganze Zahlen von 1 bis 1000000 (z. B. 1000,10k)\n");
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const report = await runBench({
    quick: args.includes("--quick"),
    sizes,
    seed: value("seed") ? Number(value("seed")) : DEFAULT_SEED,
    load: args.includes("--no-load") ? false : undefined,
    keep: args.includes("--keep"),
    progress: (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`),
  });
  process.stdout.write(args.includes("--json") ? JSON.stringify(report, null, 2) + "\n" : renderReport(report));
}

main().catch((err) => {
  process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
