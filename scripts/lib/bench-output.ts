/**
 * What a benchmark run must leave behind to count as working (`npm run check:benches`): exit code 0, and a last
 * line that is one JSON object holding every figure its phases produce, each a finite number. A phase that is
 * skipped, returns nothing or computes NaN leaves its figure missing or null, and the run fails.
 */

/** The figures each `bench:*` script reports, one or more per phase. A new bench script needs its entry here. */
export const BENCH_FIGURES: Readonly<Record<string, readonly string[]>> = {
  "bench:ledger": [
    "sealAnchor10kMs",
    "gasErc721Mint",
    "gasPerEvent1k",
    "gasPerEvent10k",
    "gasPerPartOnChain",
    "gasPerPartOnChainLifecycle",
    "eventsPerSecSingleClient",
    "eventsPerSec",
    "baselineInsertPerSec",
    "appendVsBaseline",
    "eventsStored",
    "proofMs",
    "proofBytes",
    "auditorEventsPerSec",
  ],
  "bench:verify": ["eventsStored", "verifyPerSec", "baselinePerSec", "verifyVsBaseline", "p50Ms", "p95Ms", "p99Ms"],
  "bench:auth": [
    "loginMs",
    "usersPerSecDisabled",
    "usersPerSecEnabled",
    "usersServerP50MsDisabled",
    "usersServerP50MsEnabled",
    "overheadRatio",
    "mePerSecDisabled",
    "mePerSecEnabled",
    "meServerP50MsDisabled",
    "meServerP50MsEnabled",
    "overheadRatioLightRoute",
  ],
  "bench:catalog": [
    "copyRowsPerSec",
    "importRowsPerSec",
    "importVsCopy",
    "indexedInsertRowsPerSec",
    "skuOnlyFloorRowsPerSec",
    "importVsIndexedFloor",
    "importVsSkuOnlyFloor",
    "wholeCatalogFloorSeconds",
    "importVsWholeFloor",
    "crossrefImportRowsPerSec",
    "fitmentImportRowsPerSec",
    "skus",
    "crossRefs",
    "supplierLocations",
    "offers",
    "queries",
    "recallAt10",
    "mrr",
    "searchP50Ms",
    "searchP95Ms",
    "searchP99Ms",
    "selectOneP95Ms",
    "priceCompareP50Ms",
    "priceCompareP95Ms",
  ],
  "bench:orders": [
    "ordersPerSec",
    "p50Ms",
    "p99Ms",
    "clientP99Ms",
    "pgbenchTps",
    "ordersVsPgbench",
    "openLoopRate",
    "openLoopP50Ms",
    "openLoopP99Ms",
    "openLoopErrors",
    "allocCostRatio",
    "allocWorstRatio",
  ],
  "bench:recall": [
    "parts",
    "installations",
    "lotP50Ms",
    "lotP95Ms",
    "rangeP50Ms",
    "rangeP95Ms",
    "gtinP50Ms",
    "gtinP95Ms",
    "p95Ms",
    "unitsTraced",
    "mismatches",
  ],
  "bench:forecast": [
    "mase",
    "meanForecastMase",
    "seasonalNaiveMase",
    "naiveMase",
    "crostonMase",
    "sbaMase",
    "tsbMase",
    "etsMase",
    "wql",
    "fillRate",
    "avgInventoryUnits",
    "turnoverDays",
    "slowMoverShare",
    "baselineFillRate",
    "baselineAvgInventoryUnits",
    "baselineTurnoverDays",
    "baselineSlowMoverShare",
    "baselineFillRateAtSameInventory",
    "baselineFactorAtSameInventory",
    "seriesPerSec",
    "secondsFor100k",
    "cpuSecondsFor100k",
  ],
  // The management cockpit at scale (scripts/bench-cockpit.ts): refreshes and each query's p50/p95.
  "bench:cockpit": [
    "ordersStored",
    "ledgerEvents",
    "fullRefreshMs",
    "incrementalRefreshMs",
    "summaryPlatformP50Ms",
    "summaryPlatformP95Ms",
    "summaryDistributorP50Ms",
    "summaryDistributorP95Ms",
    "skusPlatformP50Ms",
    "skusPlatformP95Ms",
    "skusDistributorP50Ms",
    "skusDistributorP95Ms",
    "regionsPlatformP50Ms",
    "regionsPlatformP95Ms",
    "regionsDistributorP50Ms",
    "regionsDistributorP95Ms",
    "channelsPlatformP50Ms",
    "channelsPlatformP95Ms",
    "rowsPlatformP50Ms",
    "rowsPlatformP95Ms",
    "rowsDistributorP50Ms",
    "rowsDistributorP95Ms",
    "baselineSelect1P50Ms",
    "baselineSelect1P95Ms",
    "stockIdleRows",
    "maxP95Ms",
  ],
  // The console's stories (scripts/bench-console.ts), each figure from the story module that measures it.
  "bench:console": [
    "shopOrderInteractions",
    "shopOrderMs",
    "receiveCartonInteractions",
    "receiveCartonMs",
    "verifyInBrowserMs",
    "firstLoadKb",
    "staticAssetMs",
  ],
  "bench:compensation": [
    "cases",
    "autoApproved",
    "toPerson",
    "correct",
    "accuracy",
    "p50Ms",
    "p95Ms",
    "baselineP50Ms",
    "retriesSame",
    "doubleRefunds",
  ],
  "bench:support": [
    "questions",
    "questionsGenerated",
    "questionsHeldOut",
    "questionsBlind",
    "intentAccuracy",
    "intentAccuracyGenerated",
    "intentAccuracyHeldOut",
    "intentAccuracyBlind",
    "handoverRecall",
    "falseHandovers",
    "leaks",
    "p50Ms",
    "p95Ms",
  ],
};

/** The problems with one run's exit code and standard output (empty when it worked), and its figures. */
export function checkBenchOutput(
  script: string,
  exitCode: number | null,
  stdout: string,
): { problems: string[]; figures: Record<string, unknown> | null } {
  const problems: string[] = [];
  const expected = BENCH_FIGURES[script];
  if (!expected) problems.push(`${script} has no list of figures in scripts/lib/bench-output.ts: add one`);
  if (exitCode !== 0) problems.push(`${script} exited with ${exitCode ?? "a signal"}`);
  const last = stdout.trimEnd().split("\n").pop() ?? "";
  let figures: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(last);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) figures = parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  if (!figures) {
    problems.push(`${script}: the last line of its output is not a JSON object: ${JSON.stringify(last.slice(0, 200))}`);
    return { problems, figures };
  }
  for (const name of expected ?? []) {
    const v = figures[name];
    if (!(name in figures)) problems.push(`${script}: figure ${name} is missing (its phase did not run)`);
    else if (typeof v !== "number" || !Number.isFinite(v))
      problems.push(`${script}: figure ${name} is ${JSON.stringify(v)}, want a finite number`);
  }
  return { problems, figures };
}
