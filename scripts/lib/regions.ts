import { readFileSync } from "node:fs";

/** A district (county level) of China with its centroid in GCJ-02, from data/regions (MIT + CC BY 4.0). */
export interface District {
  code: string;
  /** The city's GB/T 2260 code (the province's for municipalities). */
  city: string;
  lng: number;
  lat: number;
}

let cache: District[] | undefined;

/** Every district with a centroid, in the data set's order. */
export function districts(): District[] {
  cache ??= readFileSync(
    new URL("../../data/regions/china_regions_pcc858_with_centroids_gcj02.csv", import.meta.url),
    "utf8",
  )
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .filter((c) => c[2] === "district" && c[9] && c[10])
    .map((c) => ({ code: c[0]!, city: c[4] || c[3]!, lng: Number(c[9]), lat: Number(c[10]) }));
  return cache;
}
