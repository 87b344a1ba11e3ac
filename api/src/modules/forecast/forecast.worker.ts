/** A worker thread of `forecastBatchParallel`: forecasts the blocks of series it is sent and posts the results back. */
import { parentPort, workerData } from "node:worker_threads";
import { forecastBatch, type BatchInput, type BatchOptions } from "./forecast.batch.js";

const { values, offsets, opts } = workerData as BatchInput & { opts: BatchOptions };
parentPort!.on("message", ({ from, to }: { from: number; to: number }) => {
  const out = forecastBatch({ values, offsets }, opts, from, to);
  parentPort!.postMessage(
    out,
    [out.model, out.mean, out.quantiles, out.cvMase].map((a) => a.buffer as ArrayBuffer),
  );
});
