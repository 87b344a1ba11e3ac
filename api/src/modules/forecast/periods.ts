import type { Granularity } from "./forecast.repository.js";

/** Days and months in Asia/Shanghai (UTC+8, no daylight saving), as YYYY-MM-DD strings of a period's first day. */
const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** The Asia/Shanghai calendar date of an instant. */
export const shanghaiDate = (at: Date) => new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);

/** The period `k` periods after the one starting at `start` (negative: before). */
export function shift(start: string, k: number, unit: Granularity): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (unit === "day") return new Date(d.getTime() + k * DAY_MS).toISOString().slice(0, 10);
  d.setUTCMonth(d.getUTCMonth() + k, 1);
  return d.toISOString().slice(0, 10);
}

/** Whole periods from `a` to `b` (b − a). */
export function between(a: string, b: string, unit: Granularity): number {
  if (unit === "day") return Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

/** The instant a Shanghai calendar date begins, ISO. */
export const startOf = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS).toISOString();

export interface Window {
  unit: Granularity;
  /** The first period forecast: today, or the first day of this month. */
  origin: string;
  /** The complete periods of history, oldest first (ending the period before `origin`). */
  history: string[];
  /** The periods forecast, from `origin`. */
  future: string[];
  /** [from, to) as instants, for the queries. */
  from: string;
  to: string;
}

/** `n` periods of history and `horizon` ahead, as of `now`. */
export function window(unit: Granularity, n: number, horizon: number, now: Date): Window {
  const today = shanghaiDate(now);
  const origin = unit === "day" ? today : `${today.slice(0, 7)}-01`;
  const history = Array.from({ length: n }, (_, i) => shift(origin, i - n, unit));
  const future = Array.from({ length: horizon }, (_, i) => shift(origin, i, unit));
  return { unit, origin, history, future, from: startOf(history[0] ?? origin), to: startOf(origin) };
}

/** The month (1-12) of a period. */
export const monthOf = (p: string) => Number(p.slice(5, 7));
