/**
 * The engine over many series at once: histories packed in one Float64Array (series i is
 * `values[offsets[i] … offsets[i+1]-1]`), results in flat typed arrays. `forecastBatch` runs in this thread;
 * `forecastBatchParallel` splits the series over worker threads (forecast.worker.ts) and joins their results.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { forecast, MODELS, WQL_LEVELS, type ForecastOptions } from "./forecast.engine.js";

export interface BatchInput {
  values: Float64Array;
  /** n + 1 offsets into `values`, ascending. */
  offsets: Int32Array;
}

export interface BatchOutput {
  /** Quantile levels, ascending (0.5 included), in the order of `quantiles`. */
  levels: number[];
  horizon: number;
  /** Index into MODELS of each series' chosen method. */
  model: Uint8Array;
  /** Mean forecast, series-major: `mean[i * horizon + k]`. */
  mean: Float64Array;
  /** Quantiles: `quantiles[(i * levels.length + j) * horizon + k]`. */
  quantiles: Float64Array;
  cvMase: Float64Array;
}

export type BatchOptions = Omit<ForecastOptions, "quantiles"> & { quantiles?: readonly number[] };

function levelsOf(opts: BatchOptions): number[] {
  return [...new Set([...(opts.quantiles ?? WQL_LEVELS), 0.5])].sort((a, b) => a - b);
}

function allocate(n: number, horizon: number, levels: number[]): BatchOutput {
  return {
    levels,
    horizon,
    model: new Uint8Array(n),
    mean: new Float64Array(n * horizon),
    quantiles: new Float64Array(n * levels.length * horizon),
    cvMase: new Float64Array(n),
  };
}

/** Forecasts series `from` … `to − 1` of the input in this thread. */
export function forecastBatch(
  input: BatchInput,
  opts: BatchOptions,
  from = 0,
  to = input.offsets.length - 1,
): BatchOutput {
  const h = opts.horizon;
  const levels = levelsOf(opts);
  const out = allocate(to - from, h, levels);
  const L = levels.length;
  for (let i = from; i < to; i++) {
    const r = forecast(input.values.subarray(input.offsets[i]!, input.offsets[i + 1]!), { ...opts, quantiles: levels });
    const k = i - from;
    out.model[k] = MODELS.indexOf(r.model);
    out.mean.set(r.mean, k * h);
    for (let j = 0; j < L; j++) out.quantiles.set(r.quantiles[String(levels[j])]!, (k * L + j) * h);
    out.cvMase[k] = r.cvMase;
  }
  return out;
}

/**
 * Forecasts every series of the input over `threads` worker threads (default: one per core), each taking
 * contiguous blocks of `chunk` series in turn.
 */
export async function forecastBatchParallel(
  input: BatchInput,
  opts: BatchOptions,
  threads = availableParallelism(),
  chunk = 2_000,
): Promise<BatchOutput> {
  const n = input.offsets.length - 1;
  const h = opts.horizon;
  const levels = levelsOf(opts);
  const L = levels.length;
  const out = allocate(n, h, levels);
  // Shared copies of the input, so that workers read it without copying per message.
  const values = new Float64Array(new SharedArrayBuffer(input.values.byteLength));
  values.set(input.values);
  const offsets = new Int32Array(new SharedArrayBuffer(input.offsets.byteLength));
  offsets.set(input.offsets);
  let next = 0;
  const work = async () => {
    const worker = new Worker(
      new URL(`./forecast.worker.${import.meta.url.endsWith(".ts") ? "ts" : "js"}`, import.meta.url),
      {
        workerData: { values, offsets, opts },
        execArgv: [...process.execArgv],
      },
    );
    try {
      for (;;) {
        const from = next;
        if (from >= n) return;
        const to = Math.min(n, from + chunk);
        next = to;
        const part = await new Promise<BatchOutput>((resolve, reject) => {
          const fail = (e: Error) => reject(e);
          worker.once("error", fail);
          worker.once("message", (m: BatchOutput) => {
            worker.off("error", fail);
            resolve(m);
          });
          worker.postMessage({ from, to });
        });
        out.model.set(part.model, from);
        out.mean.set(part.mean, from * h);
        out.quantiles.set(part.quantiles, from * L * h);
        out.cvMase.set(part.cvMase, from);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, Math.ceil(n / chunk))) }, work));
  return out;
}
