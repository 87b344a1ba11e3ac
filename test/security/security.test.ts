import { mkdtempSync, readFileSync, rmSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import express from "express";
import { AccessService } from "../../api/src/security/access.js";
import { assertEveryRouteDeclared, mountRoutes, route } from "../../api/src/security/routes.js";
import {
  KeyVault,
  auditTrail,
  makeProvider,
  verifyBundle,
  keyVersionCounts,
  loadConfig,
  openKeyVault,
  rotateKeys,
  ENCRYPTED_COLUMNS,
} from "../../ledger-service/src/index.js";
import { OPERATOR, startApi } from "../helpers/app.js";
import { GTIN, VIN, openStack, type TestStack } from "../helpers/stack.js";

const PASSWORD = "correct horse battery";

describe("security: sessions, keys, tenants, personal data, encryption and the audit trail @smoke", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, { loginMaxFailures: 3, loginLockMinutes: 1, loginRatePerMinute: 1000 });
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });
  const me = (token: string) => api.call("GET", "/api/v1/auth/me", token);

  it("logs in with mobile or e-mail (argon2id), and refuses tampered, expired, signed-out and revoked credentials", async () => {
    const created = await api.call("POST", "/api/v1/users", api.keys.dealer!, {
      name: "王小明",
      mobile: "+86 138-1234-5678",
      email: "Wang@Dealer.cn",
      password: PASSWORD,
      roles: ["buyer"],
    });
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
    expect(created.json).to.include({ name: "王**", mobile: "138****5678", email: "w***@dealer.cn" });
    const row = await stack.svc.db.sql.query<{ password_hash: string; mobile_ct: Uint8Array }>(
      "SELECT password_hash, mobile_ct FROM users WHERE id = $1",
      [created.json.id],
    );
    expect(row.rows[0]!.password_hash).to.match(/^\$argon2id\$/);
    expect(Buffer.from(row.rows[0]!.mobile_ct).includes("13812345678")).to.equal(false);
    const byMail = await api.call("POST", "/api/v1/auth/login", null, { login: "wang@dealer.cn", password: PASSWORD });
    const byMobile = await api.call("POST", "/api/v1/auth/login", null, { login: "13812345678", password: PASSWORD });
    expect(byMail.status).to.equal(200);
    expect(byMobile.status).to.equal(200);
    expect((await me(byMail.json.token)).json).to.include({ type: "user", companyId: api.ids.dealer });
    const t: string = byMobile.json.token;
    const tampered = t.slice(0, -1) + (t.endsWith("A") ? "B" : "A");
    expect((await me(tampered)).json.code).to.equal("AUTH.INVALID_TOKEN");
    // expired: a fresh session whose expiry has passed
    const third = (await api.call("POST", "/api/v1/auth/login", null, { login: "13812345678", password: PASSWORD }))
      .json.token;
    await stack.svc.db.sql.query(
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND id = (SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1)",
      [created.json.id],
    );
    const expired = await me(third);
    expect([expired.status, expired.json.code]).to.deep.equal([401, "AUTH.SESSION_EXPIRED"]);
    expect((await api.call("POST", "/api/v1/auth/logout", t)).status).to.equal(204);
    expect((await me(t)).json.code).to.equal("AUTH.SESSION_REVOKED");
    // a revoked API key stops working at once
    const key = await api.call("POST", "/api/v1/api-keys", api.keys.dealer!, {
      name: "WMS",
      roles: ["warehouse_clerk"],
    });
    expect(key.status, JSON.stringify(key.json)).to.equal(201);
    expect((await me(key.json.apiKey)).status).to.equal(200);
    expect((await api.call("DELETE", `/api/v1/api-keys/${key.json.id}`, api.keys.dealer!)).status).to.equal(204);
    expect((await me(key.json.apiKey)).json.code).to.equal("AUTH.KEY_REVOKED");
    // a key cannot hold more than its creator
    const escalate = await api.call("POST", "/api/v1/api-keys", key.json.apiKey, {
      name: "x",
      roles: ["company_admin"],
    });
    expect(escalate.status).to.equal(401);
    const clerk = await api.keyWithRoles("dealer", ["warehouse_clerk"]);
    expect(
      (await api.call("POST", "/api/v1/api-keys", clerk, { name: "x", roles: ["company_admin"] })).status,
    ).to.equal(403);
  });

  it("slows down and then locks an account after repeated failed logins; unknown logins look the same", async () => {
    await api.call("POST", "/api/v1/users", api.keys.shop!, {
      name: "赵六",
      mobile: "13700000001",
      password: PASSWORD,
    });
    const unknown = await api.call("POST", "/api/v1/auth/login", null, {
      login: "13700009999",
      password: "wrong password",
    });
    const started = Date.now();
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(
        await api.call("POST", "/api/v1/auth/login", null, { login: "13700000001", password: "wrong password" }),
      );
    expect(Date.now() - started).to.be.greaterThan(200 + 400); // 0.2 s, 0.4 s … after each failure
    expect(answers.map((a) => a.json.code)).to.deep.equal([
      "AUTH.INVALID_CREDENTIALS",
      "AUTH.INVALID_CREDENTIALS",
      "AUTH.INVALID_CREDENTIALS",
    ]);
    expect(unknown.json.detail).to.equal(answers[0]!.json.detail);
    const locked = await api.call("POST", "/api/v1/auth/login", null, { login: "13700000001", password: PASSWORD });
    expect([locked.status, locked.json.code]).to.deep.equal([429, "AUTH.LOCKED"]);
    expect(Number(locked.headers.get("retry-after"))).to.be.greaterThan(0);
  });

  it("refuses mass-assignment, SQL injection and oversized input with a clear 4xx, and changes nothing", async () => {
    const admin = api.keys.shop!;
    const count = async () =>
      (
        await stack.svc.db.sql.query<{ n: number }>(
          "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM roles) + (SELECT count(*) FROM api_keys) AS n",
        )
      ).rows[0]!.n;
    const before = await count();
    const bad: Array<[string, string, unknown, string]> = [
      [
        "POST",
        "/api/v1/users",
        { name: "x", mobile: "13900000000", password: PASSWORD, companyId: api.ids.dealer },
        "companyId",
      ],
      [
        "POST",
        "/api/v1/users",
        { name: "x", mobile: "13900000000", password: PASSWORD, role: "company_admin" },
        "role",
      ],
      [
        "POST",
        "/api/v1/users",
        { name: "x", mobile: "13900000000", password: PASSWORD, roles: ["company_admin"] },
        "ROLE.NEEDS_APPROVAL",
      ],
      [
        "POST",
        "/api/v1/users",
        { name: "x", mobile: "13900000000", password: PASSWORD, roles: ["platform_operator"] },
        "ROLE.UNKNOWN",
      ],
      ["POST", "/api/v1/roles", { name: "x", permissions: ["company:create"] }, "ROLE.PERMISSION_NOT_GRANTABLE"],
      ["POST", "/api/v1/roles", { name: "x", permissions: ["part:view"], companyId: api.ids.dealer }, "companyId"],
      ["POST", "/api/v1/receipts", { parts: [{ gtin: GTIN, serial: "X" }], price: 1 }, "price"],
    ];
    for (const [method, path, body, expected] of bad) {
      const r = await api.call(method, path, admin, body);
      expect(r.status, `${path} ${JSON.stringify(body)}`).to.be.within(400, 499);
      expect(`${r.json.code} ${r.json.detail}`).to.include(expected);
    }
    const injections = ["' OR '1'='1", "'; DROP TABLE users; --", "x\u0000y", "${7*7}", "a".repeat(10_000)];
    for (const s of injections) {
      for (const [method, path, body] of [
        ["POST", "/api/v1/auth/login", { login: s, password: s }],
        ["POST", "/api/v1/users", { name: s, mobile: s, password: PASSWORD }],
        ["POST", "/api/v1/roles", { name: s, permissions: [s] }],
        ["POST", "/api/v1/api-keys", { name: s, roles: [s] }],
        ["GET", `/api/v1/installations?vin=${encodeURIComponent(s)}`, undefined],
        ["GET", `/api/v1/audit/entries?action=${encodeURIComponent(s)}`, undefined],
        ["GET", `/api/v1/users/${encodeURIComponent(s)}`, undefined],
      ] as Array<[string, string, unknown]>) {
        const r = await api.call(method, path, path.includes("login") ? null : admin, body);
        expect(r.status, `${method} ${path.slice(0, 60)} ${s.slice(0, 20)}`).to.be.within(400, 499);
        expect(JSON.stringify(r.json)).not.to.match(/at \w+ \(|syntax error|SELECT|relation "/);
      }
    }
    const huge = await fetch(`${api.origin}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ name: "x".repeat(3_000_000) }),
    });
    expect(huge.status).to.equal(413);
    expect(await count()).to.equal(before);
    // a name that merely looks like SQL is stored as text
    const literal = await api.call("POST", "/api/v1/users", admin, {
      name: "'); DROP TABLE users; --",
      email: "lit@shop.cn",
      password: PASSWORD,
    });
    expect(literal.status).to.equal(201);
    expect(await count()).to.equal(before + 1);
  });

  it("masks personal data everywhere; reveals it only with personal_data:view through a two-person grant, and logs the reveal", async () => {
    const admin = api.keys.shop!;
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin: GTIN,
      lot: "L7",
      productionDate: "2026-11-20",
      count: 1,
    });
    const part = { gtin: GTIN, serial: mint.json.serials[0] };
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.shop, parts: [part] })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", admin, { parts: [part] })).status).to.equal(201);
    const inst = await api.call("POST", "/api/v1/installations", admin, {
      ...part,
      vin: VIN,
      owner: { name: "张三丰", mobile: "13812341234" },
    });
    expect(inst.status, JSON.stringify(inst.json)).to.equal(201);
    const tech = await api.userWithRoles("shop", ["technician"]);
    const masked = (await api.call("GET", `/api/v1/installations?vin=${VIN}`, admin)).json.installations;
    expect(masked).to.have.length(1);
    expect(masked[0]).to.deep.include({
      vin: `${VIN.slice(0, 3)}**********${VIN.slice(-4)}`,
      owner: { name: "张**", mobile: "138****1234" },
      masked: true,
    });
    expect(
      (await api.call("GET", "/api/v1/installations?mobile=13812341234", admin)).json.installations,
    ).to.have.length(1);
    const denied = await api.call("GET", "/api/v1/installations?reveal=true", admin);
    expect([denied.status, denied.json.needs]).to.deep.equal([403, "personal_data:view"]);
    const revealed = await api.call("GET", `/api/v1/installations/${inst.json.id}?reveal=true`, tech.token);
    expect(revealed.json).to.deep.include({
      vin: VIN,
      owner: { name: "张三丰", mobile: "13812341234" },
      masked: false,
    });
    const log = await auditTrail.query(stack.svc.db.sql, {
      companyId: api.ids.shop!,
      action: "personal_data.reveal",
      limit: 10,
    });
    expect(log.map((e) => [e.actorId, e.resourceId])).to.deep.include([tech.id, inst.json.id]);
    // the public scan shows the VIN masked as well
    const scan = await fetch(`${api.origin}/01/${part.gtin}/21/${part.serial}`, {
      headers: { accept: "application/json" },
    });
    expect(JSON.stringify(await scan.json())).not.to.include(VIN);

    // two-person rule: a grant of the privileged technician role waits for a second person
    const clerk = await api.userWithRoles("shop", ["warehouse_clerk"]);
    const req = await api.call("POST", `/api/v1/users/${clerk.id}/role-grants`, admin, { roles: ["technician"] });
    expect(req.status).to.equal(202);
    const self = await api.call("POST", `/api/v1/approvals/${req.json.id}/approve`, admin, {});
    expect([self.status, self.json.code]).to.deep.equal([403, "APPROVAL.SAME_PERSON"]);
    const second = await api.userWithRoles("shop", ["company_admin"]);
    const ok = await api.call("POST", `/api/v1/approvals/${req.json.id}/approve`, second.token, {});
    expect(ok.json.status).to.equal("approved");
    expect((await api.call("GET", `/api/v1/users/${clerk.id}`, admin)).json.roles).to.deep.equal([
      "warehouse_clerk",
      "technician",
    ]);
    expect((await api.call("POST", `/api/v1/approvals/${req.json.id}/reject`, second.token, {})).json.code).to.equal(
      "APPROVAL.DECIDED",
    );
  });

  it("accepts audit entries with their transaction and seals them into one contiguous chain: concurrent writers, a rollback, two sealers at once", async () => {
    const db = stack.svc.db.sql;
    await auditTrail.seal(db);
    const head = async () =>
      (await db.query<{ seq: number }>("SELECT last_seq::int AS seq FROM audit_head")).rows[0]!.seq;
    const before = await head();
    const entry = (i: number) => ({
      companyId: api.ids.shop!,
      actorType: "system" as const,
      actorId: "test",
      action: "test.accept",
      resource: "probe",
      resourceId: `p${i}`,
      changes: { i: { after: i } },
    });
    const writes = Array.from({ length: 40 }, (_, i) =>
      db
        .transaction(async (tx) => {
          await auditTrail.append(tx, entry(i));
          if (i % 10 === 7) throw new Error("rolled back");
        })
        .then(
          () => i,
          () => null,
        ),
    );
    const committed = (await Promise.all(writes)).filter((i) => i !== null);
    // accepted, not yet chained: the head has not moved
    expect(await head()).to.equal(before);
    const [a, b] = await Promise.all([auditTrail.seal(db), auditTrail.seal(db)]);
    expect(a + b).to.be.at.least(committed.length);
    expect(await head()).to.equal(before + a + b);
    const sealed = await auditTrail.query(db, { companyId: api.ids.shop!, action: "test.accept", limit: 100 });
    expect(sealed.map((e) => e.resourceId).sort()).to.deep.equal(committed.map((i) => `p${i}`).sort());
    expect(sealed.every((e, k) => k === 0 || e.seq > sealed[k - 1]!.seq)).to.equal(true);
    expect((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_pending")).rows[0]!.n).to.equal(0);
    const report = await auditTrail.verify(db);
    expect(report, JSON.stringify(report.failure)).to.include({ ok: true, entries: await head() });
  });

  it("records who, what, when, where and before/after; the hash chain catches an edited or deleted entry, and checkpoints anchor it", async () => {
    const db = stack.svc.db.sql;
    const u = await api.call("POST", "/api/v1/users", api.keys.maker!, {
      name: "钱七",
      email: "qian@maker.cn",
      password: PASSWORD,
    });
    await api.call("PATCH", `/api/v1/users/${u.json.id}`, api.keys.maker!, { name: "钱八" });
    const [entry] = await auditTrail.query(db, { companyId: api.ids.maker!, action: "user.update", limit: 1 });
    expect(entry).to.deep.include({ actorType: "api_key", resource: "user", resourceId: u.json.id, outcome: "ok" });
    expect(entry!.ip).to.match(/127\.0\.0\.1/);
    expect(entry!.changes).to.deep.equal({ name: { before: "钱*", after: "钱*" } });
    expect((await api.call("GET", "/api/v1/audit/verify", OPERATOR)).json).to.include({ ok: true });
    // a checkpoint records the head on the ledger; anchoring puts it on chain
    const cp = await stack.svc.checkpointAuditTrail();
    expect(cp).to.be.a("number");
    await stack.svc.worker.runUntilFinal();
    expect((await api.call("GET", "/api/v1/ledger/audit", OPERATOR)).json.ok).to.equal(true);
    const { rows } = await db.query<{ ledger_seq: number }>(
      "SELECT ledger_seq::int FROM audit_checkpoints WHERE audit_seq = $1",
      [cp],
    );
    const bundle = await api.call(
      "GET",
      `/api/v1/ledger/bundle?from=1&to=${(await api.call("GET", "/api/v1/ledger/batches", null)).json.batches[0].id}`,
      null,
    );
    const provider = makeProvider(stack.chainUrl);
    try {
      const report = await verifyBundle(bundle.json as never, provider, await stack.svc.trustAnchor());
      expect(report.ok, JSON.stringify(report.failure)).to.equal(true);
    } finally {
      provider.destroy();
    }
    expect(rows[0]!.ledger_seq).to.be.greaterThan(0);

    // tamper: edit one entry, then delete one, with the append-only trigger switched off (a database admin's power)
    await db.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
    try {
      await db.query('UPDATE audit_log SET changes = \'{"name":{"before":"x"}}\' WHERE seq = $1', [entry!.seq]);
      expect((await auditTrail.verify(db)).failure?.reason).to.include(`entry ${entry!.seq} was edited`);
      await db.query("DELETE FROM audit_log WHERE seq = $1", [entry!.seq - 1]);
      expect((await auditTrail.verify(db)).failure?.reason).to.include(`entry ${entry!.seq - 1} is missing`);
      // deleting the tail and rewinding the head row is caught by the ledger checkpoint
      await db.query("DELETE FROM audit_log WHERE seq >= $1", [entry!.seq - 2]);
      const last = (
        await db.query<{ seq: number; hash: Uint8Array }>(
          "SELECT seq::int, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        )
      ).rows[0]!;
      await db.query("UPDATE audit_head SET last_seq = $1, last_hash = $2", [last.seq, Buffer.from(last.hash)]);
      const report = await auditTrail.verify(db);
      expect(report.ok).to.equal(false);
      expect(report.failure!.reason).to.include("checkpointed");
    } finally {
      await db.exec("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    }
    let refused = "";
    await db.query("DELETE FROM audit_log WHERE seq = 1").catch((e: Error) => (refused = e.message));
    expect(refused).to.include("APPEND_ONLY");
  });

  it("a route without a declared permission stops the app from starting", () => {
    const app = express();
    const deps = { access: new AccessService(stack.svc.db.sql, OPERATOR), perPrincipal: { take: async () => 0 } };
    mountRoutes(app, [route("get", "/ok", { permission: "user:view" }, "ok", (_q, r) => void r.end())], deps);
    expect(() => assertEveryRouteDeclared(app)).not.to.throw();
    app.get("/forgotten", (_q, r) => void r.end());
    expect(() => assertEveryRouteDeclared(app)).to.throw(/GET \/forgotten declares no permission/);
    expect(() =>
      mountRoutes(express(), [{ method: "get", path: "/x", summary: "", handlers: [] } as never], deps),
    ).to.throw(/declares no access/);
  });
});

describe("encryption keys: from configuration, versioned, rotated online @smoke", function () {
  this.timeout(120_000);

  it("generates a key file on embedded defaults and says so; refuses to start a production configuration without a key", () => {
    const dir = mkdtempSync(join(tmpdir(), "pl-keys-"));
    try {
      let told = "";
      const vault = openKeyVault(loadConfig({ DATA_DIR: dir }), (f) => (told = f));
      expect(told).to.equal(join(dir, "master.key"));
      expect(readFileSync(told, "utf8")).to.match(/^1 [0-9a-f]{64}$/m);
      expect(vault.currentVersion).to.equal(1);
      expect(() => loadConfig({ DATABASE_URL: "postgresql://x@127.0.0.1/db" })).to.throw(
        /LEDGER_MASTER_KEY.*never lives in the database/s,
      );
      expect(() =>
        openKeyVault(
          loadConfig({ DATABASE_URL: "postgresql://x@127.0.0.1/db", LEDGER_KEY_FILE: join(dir, "nope.key") }),
        ),
      ).to.throw(/does not exist/);
      expect(() => loadConfig({ LEDGER_MASTER_KEY: "1:abc" })).to.throw(/LEDGER_MASTER_KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rotation re-encrypts every sensitive field under the new key while the API serves; data and searches read back intact", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pl-rot-"));
    const file = join(dir, "keys");
    appendFileSync(file, `1 ${randomBytes(32).toString("hex")}\n`);
    const stack = await openStack({ env: { LEDGER_KEY_FILE: file } });
    const api = await startApi(stack);
    try {
      const db = stack.svc.db.sql;
      // every encrypted column of the schema is in the rotation list
      const { rows: cols } = await db.query<{ t: string; c: string }>(
        "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'bytea' AND (column_name LIKE '%\\_ct' OR column_name IN ('key_ciphertext', 'ciphertext'))",
      );
      expect(cols.map((c) => `${c.t}.${c.c}`).sort()).to.deep.equal(
        ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort(),
      );
      const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
        gtin: GTIN,
        lot: "R1",
        productionDate: "2026-11-20",
        count: 1,
      });
      const part = { gtin: GTIN, serial: mint.json.serials[0] };
      await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.shop, parts: [part] });
      await api.call("POST", "/api/v1/receipts", api.keys.shop!, { parts: [part] });
      await api.call("POST", "/api/v1/installations", api.keys.shop!, {
        ...part,
        vin: VIN,
        owner: { mobile: "13912345678" },
      });
      const tech = await api.userWithRoles("shop", ["technician"], "13611112222");
      expect(await keyVersionCounts(db)).to.deep.equal({ 1: (await keyVersionCounts(db))[1] });

      appendFileSync(file, `2 ${randomBytes(32).toString("hex")}\n`);
      // step 1 of a rotation: every server learns the new key (they re-read the key file every 30 s; here, now)
      stack.svc.vault.refresh();
      expect(stack.svc.vault.currentVersion).to.equal(2);
      // step 2: re-encrypt, while the service keeps answering
      const reads = Array.from({ length: 20 }, () => api.call("GET", `/api/v1/installations?vin=${VIN}`, tech.token));
      const rotated = await rotateKeys(db, openKeyVault(stack.config));
      expect((await Promise.all(reads)).every((r) => r.status === 200 && r.json.installations.length === 1)).to.equal(
        true,
      );
      expect(rotated.byVersion).to.deep.equal({ 2: rotated.reencrypted });
      expect(rotated.reencrypted).to.be.greaterThan(5);

      // only the new key: everything decrypts, blind-index searches and logins still match, company keys still sign
      const v2only = readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("2 "))
        .join("\n");
      const vault = new KeyVault(v2only);
      const inst = (await db.query<{ id: string; vin_ct: Uint8Array }>("SELECT id, vin_ct FROM installations"))
        .rows[0]!;
      expect(vault.openText(inst.vin_ct, `installation:${inst.id}:vin`)).to.equal(VIN);
      const again = await api.call("GET", `/api/v1/installations?vin=${VIN}&reveal=true`, tech.token);
      expect(again.json.installations[0]).to.deep.include({ vin: VIN, owner: { name: null, mobile: "13912345678" } });
      expect(
        (
          await api.call("POST", "/api/v1/auth/login", null, {
            login: "13611112222",
            password: "correct horse battery",
          })
        ).status,
      ).to.equal(200);
      expect(
        (
          await api.call("POST", "/api/v1/mint", api.keys.maker!, {
            gtin: GTIN,
            lot: "R2",
            productionDate: "2026-11-20",
            count: 1,
          })
        ).status,
      ).to.equal(201);
      expect(
        (await api.call("POST", "/api/v1/platform/encryption-keys/rotate", OPERATOR, {})).json.reencrypted,
      ).to.equal(0);
    } finally {
      await api.stop();
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
