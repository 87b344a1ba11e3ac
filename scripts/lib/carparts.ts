/**
 * The car-parts demand data (data/carparts, GPL, Hyndman et al.): 2,674 monthly series, Jan 1998 – Mar 2002.
 * Each series is its observed months, oldest first; empty cells (months not observed, all at the end) are dropped.
 */
import { readFileSync } from "node:fs";

export interface CarPartsSeries {
  part: string;
  /** Observed monthly unit sales, oldest first. */
  values: number[];
}

export const CARPARTS_MONTHS = 51;

export function loadCarParts(path = "data/carparts/carparts_wide.csv"): CarPartsSeries[] {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    const values: number[] = [];
    for (const c of cells.slice(1)) {
      if (c === "" || c === "NA") break;
      values.push(Number(c));
    }
    return { part: cells[0]!.replaceAll('"', ""), values };
  });
}
