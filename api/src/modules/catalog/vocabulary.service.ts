import { pinyin } from "pinyin-pro";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext } from "../../security/principal.js";
import { vocabularyRepository as repo } from "./vocabulary.repository.js";
import { splitCsv } from "./csv.js";
import { BRANDS } from "./data/brands.js";
import { partTypes } from "./data/categories.js";
import { fold } from "./terms.js";

const TYPES = partTypes();
const TYPE_BY_NAME = new Map<string, string>();
for (const t of TYPES) for (const k of [t.id, t.name, ...t.synonyms]) TYPE_BY_NAME.set(fold(k), t.id);
type Ctx = AuditContext & { companyId: string | null };
const KINDS = new Set(["oe", "aftermarket", "reman", "used"]);
const BRAND_DEFS = new Map(BRANDS.map((b) => [b.id, b]));
const HAN = /\p{Script=Han}/u;
const LATIN = /^[\p{Script=Latin}\d\s&.'-]+$/u;

export interface SynonymInput {
  term: string;
  /** Part type ids or names (刹车片 or brake_pad); empty for a side, a kind, or a filler word. */
  partTypes: string[];
  position?: "前" | "后" | null | undefined;
  kind?: "oe" | "aftermarket" | "reman" | "used" | null | undefined;
}

/** A synonym row checked: the term folded, part types resolved to ids. Throws a 400 naming the field. */
export function checkSynonym(s: SynonymInput, where = "") {
  const term = fold(s.term ?? "")
    .trim()
    .replace(/\s+/g, " ");
  if (term.length < 2 || term.length > 40)
    throw new AppError(
      "CATALOG.SYNONYM_INVALID",
      `${where}term: 2 to 40 characters, got ${JSON.stringify(s.term)}`,
      400,
      {
        field: "term",
      },
    );
  const ids = s.partTypes.map((p) => {
    const id = TYPE_BY_NAME.get(fold(p.trim()));
    if (!id)
      throw new AppError(
        "CATALOG.SYNONYM_INVALID",
        `${where}partTypes: ${JSON.stringify(p)} is not a part type (an id such as brake_pad, or a name such as 刹车片)`,
        400,
        { field: "partTypes" },
      );
    return id;
  });
  if (s.position && s.position !== "前" && s.position !== "后")
    throw new AppError(
      "CATALOG.SYNONYM_INVALID",
      `${where}position: 前 or 后, got ${JSON.stringify(s.position)}`,
      400,
      {
        field: "position",
      },
    );
  if (s.kind && !KINDS.has(s.kind))
    throw new AppError(
      "CATALOG.SYNONYM_INVALID",
      `${where}kind: oe, aftermarket, reman or used, got ${JSON.stringify(s.kind)}`,
      400,
      { field: "kind" },
    );
  return { term, partTypes: [...new Set(ids)], position: s.position ?? null, kind: s.kind ?? null };
}

/**
 * The search vocabulary kept as data (DECISIONS 63): the synonym table the platform's catalogue team edits (one row,
 * or a CSV file `term,partTypes,position,kind`, part types separated by `;`), and the brands learned from imports.
 * Every change is audited and search re-reads its vocabulary at once.
 */
export class VocabularyService {
  constructor(
    private readonly db: Sql,
    private readonly changed: () => void = () => undefined,
  ) {}

  synonyms() {
    return repo.synonyms(this.db);
  }

  /**
   * The learned brands as the catalogue team reads them: the name, the other spellings files used, the pinyin search
   * answers to (full and initials, of the Chinese name), the English name (the code's, else a Latin spelling) and the
   * SKUs listed under the brand now.
   */
  async brands() {
    return (await repo.brandList(this.db)).map((b) => {
      const def = BRAND_DEFS.get(b.id);
      const names = [...new Set([b.name, ...b.names])];
      const zh = def?.nameZh && HAN.test(def.nameZh) ? def.nameZh : names.find((n) => HAN.test(n));
      const han = zh ? [...zh].filter((c) => HAN.test(c)).join("") : "";
      const syllables = han ? pinyin(han, { type: "array", toneType: "none", v: true }) : [];
      return {
        id: b.id,
        name: b.name,
        names,
        aliases: names.filter((n) => n !== b.name),
        pinyin: syllables.length ? syllables.join("") : null,
        initials: syllables.length > 1 ? syllables.map((x) => x[0]).join("") : null,
        nameEn: def?.name ?? names.find((n) => LATIN.test(n)) ?? null,
        skuCount: b.skuCount,
        source: b.source,
        createdAt: b.createdAt.toISOString(),
      };
    });
  }

  async putSynonym(ctx: Ctx, input: SynonymInput) {
    const row = checkSynonym(input);
    await this.db.transaction(async (tx) => {
      await repo.upsertSynonyms(tx, [row], "console", ctx.actorId);
      await auditTrail.append(tx, {
        ...ctx,
        action: "catalog.synonym_put",
        resource: "catalog_synonym",
        resourceId: row.term,
        changes: { partTypes: { after: row.partTypes }, position: { after: row.position }, kind: { after: row.kind } },
      });
    });
    this.changed();
    return row;
  }

  async deleteSynonym(ctx: Ctx, rawTerm: string) {
    const term = fold(rawTerm).trim();
    await this.db.transaction(async (tx) => {
      if (!(await repo.deleteSynonym(tx, term)))
        throw new AppError("NOT_FOUND", `no synonym ${JSON.stringify(term)}`, 404);
      await auditTrail.append(tx, {
        ...ctx,
        action: "catalog.synonym_delete",
        resource: "catalog_synonym",
        resourceId: term,
      });
    });
    this.changed();
  }

  /** A CSV of synonyms (header `term,partTypes,position,kind`): good rows are saved, bad ones reported by line. */
  async importCsv(ctx: Ctx, text: string) {
    const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
    const header = (splitCsv(lines[0] ?? "") ?? []).map((h) => h.trim());
    for (const col of ["term", "partTypes"])
      if (!header.includes(col))
        throw new AppError(
          "IMPORT.MISSING_COLUMN",
          `header: the CSV needs a column ${col} (term,partTypes,position,kind)`,
          400,
          {
            field: "header",
          },
        );
    const at = (cells: string[], col: string) => cells[header.indexOf(col)]?.trim() ?? "";
    const rows: ReturnType<typeof checkSynonym>[] = [];
    const errors: Array<{ line: number; field: string; reason: string }> = [];
    lines.slice(1).forEach((line, i) => {
      if (!line.trim()) return;
      const cells = splitCsv(line);
      try {
        if (!cells) throw new AppError("CATALOG.SYNONYM_INVALID", "line: unbalanced quotes", 400, { field: "line" });
        rows.push(
          checkSynonym({
            term: at(cells, "term"),
            partTypes: at(cells, "partTypes")
              .split(/[;|；]/)
              .filter((x) => x.trim()),
            position: (at(cells, "position") || null) as SynonymInput["position"],
            kind: (at(cells, "kind") || null) as SynonymInput["kind"],
          }),
        );
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        errors.push({ line: i + 2, field: String(e.details?.field ?? "line"), reason: e.message });
      }
    });
    // A term given twice in one file: the later row wins (one statement may not change a row twice).
    const unique = [...new Map(rows.map((r) => [r.term, r])).values()];
    const done = await this.db.transaction(async (tx) => {
      const n = await repo.upsertSynonyms(tx, unique, "csv", ctx.actorId);
      await auditTrail.append(tx, {
        ...ctx,
        action: "catalog.synonym_import",
        resource: "catalog_synonym",
        resourceId: "csv",
        changes: {
          rowsOk: { after: rows.length },
          rowsAdded: { after: n.added },
          rowsUpdated: { after: n.updated },
          rowsBad: { after: errors.length },
        },
      });
      return n;
    });
    this.changed();
    return {
      rowsOk: rows.length,
      rowsAdded: done.added,
      rowsUpdated: done.updated,
      rowsBad: errors.length,
      errors: errors.slice(0, 1000),
    };
  }
}
