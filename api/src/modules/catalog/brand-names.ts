import { BRANDS } from "./data/brands.js";
import { MAKES } from "./data/vehicles.js";

const HAN = /\p{Script=Han}/u;
const KNOWN = new Map(BRANDS.map((b) => [b.id, HAN.test(b.nameZh) ? b.nameZh : b.name]));
/** `oe_volkswagen` → 大众原厂: the genuine parts of a vehicle make, as counter staff say it. */
const GENUINE = new Map(MAKES.map((m) => [`oe_${m.makeEn.toLowerCase().replace(/[^a-z]/g, "")}`, `${m.make}原厂`]));

/**
 * The brand as people read it: the vocabulary's Chinese name for a brand it lists, "<make>原厂" for a make's genuine
 * parts, else the spelling the catalogue files used (catalog_brands.name), else the id itself.
 */
export function brandDisplayName(id: string, learned?: string | null): string {
  return KNOWN.get(id) ?? GENUINE.get(id) ?? (learned && learned !== id ? learned : id);
}
