/**
 * A catalogue built from the hand-written vocabulary in api/src/modules/catalog/data (makes, series, generations,
 * engines, part types with their synonyms, brands with their numbering formats): one OE SKU per vehicle group and
 * part type (and side), aftermarket SKUs of every brand that makes the part type, cross-referenced to the OE number
 * and to each other — and, to reach benchmark sizes, regional brands with their own numbers. Deterministic for a
 * seed. Numbers follow each brand's format; the digits are made up (no public catalogue with OE numbers exists).
 */
import { BRANDS } from "../../api/src/modules/catalog/data/brands.js";
import { partTypes, type PartTypeDef } from "../../api/src/modules/catalog/data/categories.js";
import { MAKES, type MakeDef } from "../../api/src/modules/catalog/data/vehicles.js";

/** Part types whose OE number depends on the engine, not only on the generation. */
const ENGINE_TYPES = new Set([
  "oil_filter",
  "air_filter",
  "fuel_filter",
  "spark_plug",
  "ignition_coil",
  "timing_belt",
  "timing_chain",
  "water_pump",
  "thermostat",
  "serpentine_belt",
  "engine_mount",
  "oxygen_sensor",
  "alternator",
  "starter",
  "clutch_kit",
  "radiator",
]);
/** Fluids fit every car of a spec: they get no fitment rows. */
const UNIVERSAL = new Set(["engine_oil", "brake_fluid", "coolant", "atf", "bulb"]);

export interface GenVehicle {
  make: string;
  maker: string;
  series: string;
  model: string;
  yearFrom: number;
  yearTo: number;
  engine: string;
}
export interface GenSku {
  brand: string;
  partNo: string;
  name: string;
  partType: string;
  kind: "oe" | "aftermarket" | "reman" | "used";
  position: string;
  material: string;
  oeNumbers: string[];
  competitors: Array<{ brand: string; number: string }>;
  fits: GenVehicle[];
}

/**
 * Brands the vocabulary (data/brands.ts) does not list — domestic makers and dismantlers as shops meet them in
 * suppliers' files: about a third of the generated rows. Search knows them only from the rows it imports.
 */
export const OUTSIDE_BRANDS: Array<{ name: string; code: string; kind: "aftermarket" | "used" }> = [
  { name: "万向汽配", code: "WX", kind: "aftermarket" },
  { name: "信义", code: "XY", kind: "aftermarket" },
  { name: "瑞立", code: "RL", kind: "aftermarket" },
  { name: "龙生", code: "LS", kind: "aftermarket" },
  { name: "正兴", code: "ZX", kind: "aftermarket" },
  { name: "隆中", code: "LZ", kind: "aftermarket" },
  { name: "恒力", code: "HL", kind: "aftermarket" },
  { name: "金固", code: "JG", kind: "aftermarket" },
  { name: "远东", code: "YD", kind: "aftermarket" },
  { name: "安博", code: "AB", kind: "aftermarket" },
  { name: "华达", code: "HD", kind: "aftermarket" },
  { name: "三环", code: "SH", kind: "aftermarket" },
  { name: "鑫泰汽车配件", code: "XT", kind: "aftermarket" },
  { name: "老王拆车件", code: "LW", kind: "used" },
  { name: "顺达拆车", code: "SD", kind: "used" },
  { name: "Kingstar", code: "KS", kind: "aftermarket" },
];

export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
function fill(pattern: string, r: () => number): string {
  return pattern.replace(/[#@*]/g, (c) =>
    c === "#"
      ? String(Math.floor(r() * 10))
      : c === "@"
        ? LETTERS[Math.floor(r() * LETTERS.length)]!
        : r() < 0.5
          ? String(Math.floor(r() * 10))
          : LETTERS[Math.floor(r() * LETTERS.length)]!,
  );
}

const OE_FORMAT: Record<MakeDef["oeFormat"], string> = {
  vw: "#@# ### ### @",
  toyota: "#####-#####",
  honda: "#####-@@@-@##",
  nissan: "#####-#@@#@",
  gm: "########",
  hyundai: "#####-@####",
  bmw: "## ## # ### ###",
  mercedes: "A ### ### ## ##",
  byd: "BYD-####-###",
  geely: "#########-##",
  generic: "####-######",
};

const MATERIAL: Record<string, string[]> = {
  brake_pad: ["陶瓷", "低金属", "半金属"],
  brake_disc: ["灰铸铁", "高碳铸铁"],
  spark_plug: ["铱金", "铂金", "镍合金"],
  wiper_blade: ["无骨", "有骨", "三段式"],
  oil_filter: ["纸质滤芯"],
  cabin_filter: ["活性炭", "普通"],
  battery: ["AGM", "EFB", "免维护"],
  headlamp: ["LED", "卤素", "氙气"],
};

export interface GeneratedCatalog {
  vehicles: GenVehicle[];
  skus: GenSku[];
}

/**
 * `regionalBrands`: extra brands per part type, each making a SKU for every vehicle group (to reach 1M SKUs).
 * `yieldSku` receives SKUs as they are made (so a million need not sit in memory at once).
 */
export function generateCatalog(opts: { seed: number; regionalBrands?: number; onSku: (s: GenSku) => void }): {
  vehicles: GenVehicle[];
  skus: number;
} {
  const r = rng(opts.seed);
  const vehicles: GenVehicle[] = [];
  const groups: Array<{ make: MakeDef; fits: GenVehicle[]; key: string; engine: string }> = [];
  for (const make of MAKES) {
    for (const s of make.series) {
      for (const gen of s.generations) {
        const gv = gen.engines.map((engine) => ({
          make: make.make,
          maker: s.maker,
          series: s.series,
          model: gen.model,
          yearFrom: gen.from,
          yearTo: gen.to,
          engine,
        }));
        vehicles.push(...gv);
        groups.push({ make, fits: gv, key: gen.model, engine: "" });
        for (const v of gv) groups.push({ make, fits: [v], key: `${gen.model} ${v.engine}`, engine: v.engine });
      }
    }
  }
  let count = 0;
  const emit = (s: GenSku) => {
    count++;
    opts.onSku(s);
  };
  const types = partTypes();
  const used = new Set<string>();
  const unique = (brand: string, pattern: string) => {
    for (;;) {
      const n = fill(pattern, r);
      const k = `${brand}\n${n.replace(/[\s\-./]/g, "")}`;
      if (!used.has(k)) {
        used.add(k);
        return n;
      }
    }
  };
  const makers = (t: PartTypeDef) => BRANDS.filter((b) => b.formats[t.id]);
  for (const t of types) {
    if (UNIVERSAL.has(t.id)) {
      for (const b of makers(t))
        for (let i = 0; i < 6; i++)
          emit({
            brand: b.id,
            partNo: unique(b.id, b.formats[t.id]!),
            name: t.name,
            partType: t.id,
            kind: "aftermarket",
            position: "",
            material: "",
            oeNumbers: [],
            competitors: [],
            fits: [],
          });
      continue;
    }
    for (const g of groups) {
      if (ENGINE_TYPES.has(t.id) !== (g.engine !== "")) continue;
      for (const position of t.positions ?? [""]) {
        const oeBrand = `oe_${g.make.makeEn.toLowerCase().replace(/[^a-z]/g, "")}`;
        const oe = unique(oeBrand, OE_FORMAT[g.make.oeFormat]);
        const name = `${position}${t.name}`;
        const materials = MATERIAL[t.id] ?? [""];
        emit({
          brand: oeBrand,
          partNo: oe,
          name,
          partType: t.id,
          kind: "oe",
          position,
          material: materials[0]!,
          oeNumbers: [oe],
          competitors: [],
          fits: g.fits,
        });
        const after = makers(t).filter((b) => b.id !== "reman" && r() < 0.8);
        const numbers = after.map((b) => ({ brand: b.id, number: unique(b.id, b.formats[t.id]!) }));
        numbers.forEach((n, i) => {
          const competitors = numbers.filter((_, j) => j !== i).slice(0, 3);
          emit({
            brand: n.brand,
            partNo: n.number,
            name,
            partType: t.id,
            kind: "aftermarket",
            position,
            material: materials[Math.floor(r() * materials.length)]!,
            oeNumbers: [oe],
            competitors,
            fits: g.fits,
          });
        });
        if (BRANDS.find((b) => b.id === "reman")!.formats[t.id] && r() < 0.5) {
          emit({
            brand: "reman",
            partNo: unique("reman", BRANDS.find((b) => b.id === "reman")!.formats[t.id]!),
            name: `${name}(再制造)`,
            partType: t.id,
            kind: "reman",
            position,
            material: "",
            oeNumbers: [oe],
            competitors: [],
            fits: g.fits,
          });
        }
        // Outside brands: half as many SKUs as the vocabulary's brands made for this group (≈ a third of the rows).
        const outside = [...OUTSIDE_BRANDS].sort(() => r() - 0.5).slice(0, Math.round((1 + numbers.length) / 2));
        for (const b of outside)
          emit({
            brand: b.name,
            partNo: unique(b.name, `${b.code}${t.id.slice(0, 2).toUpperCase()}-#####`),
            name: b.kind === "used" ? `${name}(拆车件)` : name,
            partType: t.id,
            kind: b.kind,
            position,
            material: materials[Math.floor(r() * materials.length)]!,
            oeNumbers: [oe],
            competitors: [],
            fits: g.fits,
          });
        for (let k = 0; k < (opts.regionalBrands ?? 0); k++) {
          const brand = `regional${String(k).padStart(3, "0")}`;
          emit({
            brand,
            partNo: unique(brand, `R${k}-${t.id.slice(0, 3).toUpperCase()}-######`),
            name,
            partType: t.id,
            kind: "aftermarket",
            position,
            material: materials[k % materials.length]!,
            oeNumbers: [oe],
            competitors: numbers.slice(0, 3),
            fits: g.fits,
          });
        }
      }
    }
  }
  return { vehicles, skus: count };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The import files (CSV) for a generated catalogue: SKUs, cross-references and fitment, line by line. */
export function csvLines() {
  return {
    skusHeader: "brand,partNo,name,partType,kind,position,material,oeNumbers",
    sku: (s: GenSku) =>
      [s.brand, s.partNo, s.name, s.partType, s.kind, s.position, s.material, s.oeNumbers.join(";")]
        .map(csvCell)
        .join(","),
    crossrefsHeader: "brand,partNo,number,numberKind,numberBrand,source",
    crossrefs: (s: GenSku) =>
      s.competitors.map((c) =>
        [s.brand, s.partNo, c.number, "competitor", c.brand, "generator"].map(csvCell).join(","),
      ),
    fitmentsHeader: "brand,partNo,make,maker,series,model,yearFrom,yearTo,engine",
    fitments: (s: GenSku) =>
      s.fits.map((v) =>
        [s.brand, s.partNo, v.make, v.maker, v.series, v.model, v.yearFrom, v.yearTo, v.engine].map(csvCell).join(","),
      ),
  };
}
