import { readFileSync, readdirSync } from "node:fs";
import { expect } from "chai";
import { freshDatabase } from "../helpers/database.js";

/**
 * prisma/ describes the tables that the SQL migrations create (Prisma's own migrate needs a native engine we do
 * not download). This test fails when a .prisma model and the migrated database disagree.
 */
const PG_TYPE: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Bytes: "bytea",
  DateTime: "timestamp with time zone",
  Boolean: "boolean",
  Float: "double precision",
  Json: "jsonb",
  "String[]": "ARRAY",
  "@db.Char": "character",
  "@db.Date": "date",
  "@db.SmallInt": "smallint",
};

interface ModelField {
  column: string;
  type: string;
  nullable: boolean;
}

function parseModels(): Map<string, { model: string; fields: ModelField[] }> {
  const dir = new URL("../../prisma/models/", import.meta.url);
  const text = readdirSync(dir)
    .filter((f) => f.endsWith(".prisma"))
    .map((f) => readFileSync(new URL(f, dir), "utf8"))
    .join("\n");
  const tables = new Map<string, { model: string; fields: ModelField[] }>();
  for (const [, model, body] of text.matchAll(/model\s+(\w+)\s*\{([\s\S]*?)\n\}/g)) {
    const table = /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? model!;
    const fields: ModelField[] = [];
    for (const line of body!.split("\n").map((l) => l.trim())) {
      const m = /^(\w+)\s+(\w+(?:\[\])?)(\?)?(.*)$/.exec(line);
      if (!m || line.startsWith("@@") || line.startsWith("//")) continue;
      const native = /(@db\.(?:Char|Date|SmallInt))\b/.exec(m[4]!)?.[1];
      fields.push({
        column: /@map\("([^"]+)"\)/.exec(m[4]!)?.[1] ?? m[1]!,
        type: native ?? m[2]!,
        nullable: m[3] === "?",
      });
    }
    tables.set(table, { model: model!, fields });
  }
  return tables;
}

describe("prisma schema and SQL migrations agree", () => {
  it("every model field is a column of the same type and nullability, and Prisma can query every model", async () => {
    const db = await freshDatabase();
    try {
      const models = parseModels();
      expect(models.size).to.be.greaterThan(0);
      for (const [table, { model, fields }] of models) {
        const { rows } = await db.sql.query<{ column_name: string; data_type: string; is_nullable: string }>(
          "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
          [table],
        );
        expect(rows.length, `table ${table} for model ${model}`).to.be.greaterThan(0);
        const columns = new Map(rows.map((r) => [r.column_name, r]));
        for (const f of fields) {
          const col = columns.get(f.column);
          expect(col, `${model}.${f.column} has no column in ${table}`).to.not.equal(undefined);
          expect(col!.data_type, `${table}.${f.column}`).to.equal(PG_TYPE[f.type]);
          expect(col!.is_nullable === "YES", `${table}.${f.column} nullability`).to.equal(f.nullable);
        }
        const delegate = (db.prisma as unknown as Record<string, { findFirst(): Promise<unknown> }>)[
          model[0]!.toLowerCase() + model.slice(1)
        ];
        await delegate!.findFirst();
      }
    } finally {
      await db.drop();
    }
  });
});
