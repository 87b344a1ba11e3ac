import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { assertVin } from "../../../../ledger-service/src/gs1/vin.js";
import { splitCsv } from "./csv.js";
import { CHINA_WMI } from "./data/vehicles.js";

export interface DecodedVin {
  vin: string;
  wmi: string;
  /** Who built it: the Chinese maker (上汽大众) or vPIC's manufacturer name. */
  manufacturer: string | null;
  /** Makers as named in the catalog's vehicles (to filter fitment); empty when none is known. */
  makers: string[];
  make: string | null;
  country: string | null;
  modelYear: number | null;
  /** The catalog series this VIN's maker and year narrow to, when only one fits. */
  series: string | null;
}

// Position 10: A–Y without I, O, Q, U, Z, then 1–9; the cycle repeats every 30 years.
const YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789";

/** The model year of position 10: of the two years a code can mean, the later one not after next year. */
export function modelYearOf(code: string, now = new Date()): number | null {
  const i = YEAR_CODES.indexOf(code);
  if (i < 0) return null;
  const latest = now.getUTCFullYear() + 1;
  let year = 1980 + i;
  while (year + 30 <= latest) year += 30;
  return year;
}

let vpic: Map<string, { manufacturer: string; make: string; country: string }> | undefined;
function vpicTable() {
  if (!vpic) {
    vpic = new Map();
    const text = gunzipSync(
      readFileSync(new URL("../../../../data/vehicles/vpic_wmi.csv.gz", import.meta.url)),
    ).toString("utf8");
    for (const line of text.split("\n").slice(1)) {
      const [wmi, manufacturer, makes, , country] = splitCsv(line) ?? [];
      if (wmi && wmi.length === 3)
        vpic.set(wmi, {
          manufacturer: manufacturer!.trim(),
          make: (makes ?? "").split(";")[0]!.trim().toUpperCase(),
          country: country ?? "",
        });
    }
  }
  return vpic;
}

/** Decodes a VIN (validated, check character included) to maker, make, country and model year. */
export function decodeVin(
  raw: string,
  vehicles: Array<{ maker: string; series: string; yearFrom: number; yearTo: number }> = [],
  now = new Date(),
): DecodedVin {
  const vin = assertVin(raw.toUpperCase().trim(), "vin");
  const wmi = vin.slice(0, 3);
  const modelYear = modelYearOf(vin[9]!, now);
  const china = CHINA_WMI[wmi];
  const us = china ? undefined : vpicTable().get(wmi);
  const makers = china?.makers ?? [];
  const candidates = new Set(
    vehicles
      .filter((v) => makers.includes(v.maker) && modelYear !== null && v.yearFrom <= modelYear && modelYear <= v.yearTo)
      .map((v) => v.series),
  );
  return {
    vin,
    wmi,
    manufacturer: china?.name ?? us?.manufacturer ?? null,
    makers,
    make: us?.make ?? null,
    country: china || wmi[0] === "L" ? "中国" : (us?.country ?? null),
    modelYear,
    series: candidates.size === 1 ? [...candidates][0]! : null,
  };
}
