import { regions } from "../../api/src/shared/regions.js";

/** A district (county level) of China with its centroid in GCJ-02, from data/regions (MIT + CC BY 4.0). */
export interface District {
  code: string;
  /** The city's GB/T 2260 code (the province's for municipalities). */
  city: string;
  lng: number;
  lat: number;
}

let cache: District[] | undefined;

/** Every district with a centroid, in the data set's order (read by the one loader in api/src/shared/regions.ts). */
export function districts(): District[] {
  cache ??= regions()
    .filter((r) => r.level === "district" && r.lng !== null && r.lat !== null)
    .map((r) => ({ code: r.code, city: r.cityCode, lng: r.lng!, lat: r.lat! }));
  return cache;
}
