/**
 * The anchoring worker as a process of its own, for tests that kill it with SIGKILL (test/ledger/
 * anchor-worker-process.test.ts). Configured by environment: DATABASE_URL or DATA_DIR, LEDGER_MASTER_KEY,
 * CONFIRMATION_DEPTH, CHAIN_URL; HANG_AT names a fault point where it prints `hanging at <point> <batch>` and
 * waits to be killed. Every tick's moves are printed as `batch <id>: <from> → <to>`.
 */
import { LOCAL_ADMIN_KEY, LOCAL_CHAIN_ID, LedgerService, loadConfig } from "../../ledger-service/src/index.js";

const hangAt = process.env.HANG_AT;
const svc = await LedgerService.open({
  config: loadConfig(),
  chainUrl: process.env.CHAIN_URL!,
  adminKey: LOCAL_ADMIN_KEY,
  localChain: true,
  chainId: LOCAL_CHAIN_ID,
  log: (line) => console.log(line),
  fault: async (point, batchId) => {
    if (point !== hangAt) return;
    console.log(`hanging at ${point} ${batchId}`);
    await new Promise(() => undefined); // until SIGKILL
  },
});
console.log("worker ready");
for (;;) {
  const r = await svc.worker.tick();
  for (const m of r.moved) console.log(`batch ${m.batchId}: ${m.from} → ${m.to}`);
  if (r.chainError) console.log(`chain error: ${r.chainError}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
