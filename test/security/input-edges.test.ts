import { expect } from "chai";
import express from "express";
import { z } from "zod";
import { validate } from "../../api/src/http/validate.js";
import { AccessService } from "../../api/src/security/access.js";
import { mountRoutes, route } from "../../api/src/security/routes.js";
import { GTIN, openStack, type TestStack } from "../helpers/stack.js";
import { OPERATOR, startApi } from "../helpers/app.js";

/** Issue 19, items 8 and 10: one check at the edge for text, and strict bodies and queries on every route. */
describe("input at the edge: NUL and lone surrogates answer 400; every body and query is strict", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
  });
  after(async () => {
    await api.stop();
    await stack.close();
  });

  const NUL = "abc\u0000def";
  const SURROGATE = "abc\ud800def";

  it("answers 400 REQUEST.INVALID_TEXT naming the field for a NUL in search, audit and every kind of name", async () => {
    const admin = api.keys.maker!;
    const cases: Array<[string, string, string | null, unknown, string]> = [
      ["GET", "/api/v1/catalog/search?q=abc%00def", admin, undefined, "q"],
      ["GET", "/api/v1/catalog/search?q=brake&brand=%00", admin, undefined, "brand"],
      ["GET", "/api/v1/audit/entries?actorId=u%00x", admin, undefined, "actorId"],
      ["POST", "/api/v1/roles", admin, { name: NUL, permissions: ["company:view"] }, "name"],
      ["POST", "/api/v1/api-keys", admin, { name: NUL, roles: ["company_admin"] }, "name"],
      [
        "POST",
        "/api/v1/suppliers/locations",
        api.keys.dealer!,
        { code: "WH-N", name: NUL, regionCode: "330104", location: { lng: 120.1, lat: 30.2 } },
        "name",
      ],
      [
        "POST",
        "/api/v1/mint",
        admin,
        { gtin: GTIN, lot: "L1", productionDate: "2026-11-01", count: 1, product: { brand: "博世", name: NUL } },
        "product.name",
      ],
      ["POST", "/api/v1/users", admin, { name: NUL, mobile: "13900001111", password: "correct horse battery" }, "name"],
      ["POST", "/api/v1/auth/login", null, { login: NUL, password: "x" }, "login"],
    ];
    for (const [method, path, token, body, field] of cases) {
      const r = await api.call(method, path, token, body);
      expect([r.status, r.json.code, r.json.field], `${method} ${path}`).to.deep.equal([
        400,
        "REQUEST.INVALID_TEXT",
        field,
      ]);
      expect(r.json.detail, path).to.contain(field).and.to.contain("NUL");
    }
  });

  it("answers 400 for a lone UTF-16 surrogate in any body string, nested ones and field names included", async () => {
    const admin = api.keys.maker!;
    const cases: Array<[string, string, unknown, string]> = [
      ["POST", "/api/v1/roles", { name: SURROGATE, permissions: ["company:view"] }, "name"],
      ["POST", "/api/v1/api-keys", { name: "k\udfff", roles: ["company_admin"] }, "name"],
      ["POST", "/api/v1/users", { name: SURROGATE, mobile: "13900001112", password: "correct horse battery" }, "name"],
      [
        "POST",
        "/api/v1/mint",
        { gtin: GTIN, lot: "L1", productionDate: "2026-11-01", count: 1, product: { brand: SURROGATE, name: "n" } },
        "product.brand",
      ],
      ["POST", "/api/v1/roles", { name: "ok", permissions: ["company:view", SURROGATE] }, "permissions[1]"],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await api.call(method, path, admin, body);
      expect([r.status, r.json.code, r.json.field], `${method} ${path} ${field}`).to.deep.equal([
        400,
        "REQUEST.INVALID_TEXT",
        field,
      ]);
      expect(r.json.detail).to.contain("surrogate");
    }
    const key = await api.call("POST", "/api/v1/roles", admin, {
      name: "ok",
      permissions: ["company:view"],
      ["x\ud800"]: 1,
    });
    expect([key.status, key.json.code]).to.deep.equal([400, "REQUEST.INVALID_TEXT"]);
    // Well-formed text of every plane still passes the edge (a four-byte character is a surrogate *pair*).
    const fine = await api.call("POST", "/api/v1/roles", admin, { name: "采购𠀀角色", permissions: ["company:view"] });
    expect(fine.status, JSON.stringify(fine.json)).to.equal(201);
  });

  it("refuses unknown body fields on cancel and unknown query parameters on list endpoints (REQUEST.UNKNOWN_FIELD)", async () => {
    const cancel = await api.call("POST", "/api/v1/orders/ord_0123456789abcdef/cancel", api.keys.shop!, {
      reason: "changed my mind",
    });
    expect([cancel.status, cancel.json.code, cancel.json.field]).to.deep.equal([
      400,
      "REQUEST.UNKNOWN_FIELD",
      "reason",
    ]);
    const lists: Array<[string, string]> = [
      ["/api/v1/roles?all=true", "all"],
      ["/api/v1/api-keys?include=secret", "include"],
      ["/api/v1/suppliers/locations?page=2", "page"],
      ["/api/v1/inventory/stock?warehouse=x", "warehouse"],
      ["/api/v1/catalog/categories?lang=en", "lang"],
      ["/api/v1/auth/me?x=1", "x"],
      ["/api/v1/health?verbose=1", "verbose"],
    ];
    for (const [path, field] of lists) {
      const r = await api.call("GET", path, api.keys.dealer!);
      expect([r.status, r.json.code, r.json.field], path).to.deep.equal([400, "REQUEST.UNKNOWN_FIELD", field]);
    }
    const logout = await api.call("POST", "/api/v1/auth/logout", api.keys.dealer!, { everywhere: true });
    expect([logout.status, logout.json.code]).to.deep.equal([400, "REQUEST.UNKNOWN_FIELD"]);
    // The same routes answer without the extra field; the resolver still reads its Digital Link qualifiers.
    expect((await api.call("GET", "/api/v1/roles", api.keys.dealer!)).status).to.equal(200);
    expect((await api.call("GET", `/01/${GTIN}/21/NOSUCHSERIAL1?lang=en`, null)).status).to.equal(200);
  });

  it("a company auditor's /audit/verify counts its own company's entries, not the platform's", async () => {
    const auditor = await api.userWithRoles("shop", ["auditor"]);
    // Other companies write entries (users created, keys made), the shop only a few.
    for (let i = 0; i < 3; i++) await api.userWithRoles("maker", ["technician"]);
    const platform = (await api.call("GET", "/api/v1/audit/verify", OPERATOR)).json;
    const mine = await api.call("GET", "/api/v1/audit/verify", auditor.token);
    expect(mine.status, JSON.stringify(mine.json)).to.equal(200);
    const { rows } = await stack.svc.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE company_id = $1",
      [api.ids.shop],
    );
    expect(mine.json).to.deep.include({ ok: true, entries: rows[0]!.n, scope: "company" });
    expect(mine.json.entries).to.be.below(platform.entries);
    expect(mine.json).not.to.have.property("checkpoints");
  });

  it("refuses to start with a route whose schema is not strict, nested objects included", () => {
    const access = new AccessService(stack.svc.db.sql, OPERATOR);
    const deps = { access, perPrincipal: { take: async () => 0 } };
    const loose = z.object({ limit: z.coerce.number().optional() });
    expect(() =>
      mountRoutes(
        express(),
        [route("get", "/x", { public: "t" }, "x", validate({ query: loose }), (_q, r) => void r.end())],
        deps,
      ),
    ).to.throw(/GET \/x query: the schema must be \.strict\(\)/);
    const nested = z.object({ a: z.array(z.object({ b: z.string() })) }).strict();
    expect(() =>
      mountRoutes(
        express(),
        [route("post", "/y", { public: "t" }, "y", validate({ body: nested }), (_q, r) => void r.end())],
        deps,
      ),
    ).to.throw(/POST \/y body\.a\[\]: the schema must be \.strict\(\)/);
  });
});
