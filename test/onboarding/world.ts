import { expect } from "chai";
import { OPERATOR, randomMobile, uscc, type startApi } from "../helpers/app.js";
import type { TestStack } from "../helpers/stack.js";

type Api = Awaited<ReturnType<typeof startApi>>;

/** A 1×1 PNG (a real file: signature, IHDR, IDAT, IEND). */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
export const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
export const PASSWORD = "correct horse battery";

/** POSTs a file as the raw body of /onboarding/licences. */
export async function upload(api: Api, body: Uint8Array, type: string) {
  const res = await fetch(`${api.origin}/api/v1/onboarding/licences`, {
    method: "POST",
    headers: { "content-type": type },
    body: new Blob([Buffer.from(body)]),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

/** A fresh, valid USCC (a distributor's, 杭州 330106) built with the check character. */
export const freshUscc = () => uscc(`91330106MA2${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`);

/** Registers a company through the public routes: its licence, then the application; returns ids and its login. */
export async function apply(api: Api, overrides: Record<string, unknown> = {}) {
  const lic = await upload(api, PNG, "image/png");
  expect(lic.status, JSON.stringify(lic.json)).to.equal(201);
  const mobile = randomMobile("136");
  const code = freshUscc();
  const r = await api.call("POST", "/api/v1/onboarding/applications", null, {
    name: "杭州申请汽配有限公司",
    uscc: code,
    kind: "distributor",
    regionCode: "330106",
    licence: lic.json.sha256,
    admin: { name: "申请人", mobile, password: PASSWORD },
    ...overrides,
  });
  expect(r.status, JSON.stringify(r.json)).to.equal(201);
  const login = await api.call("POST", "/api/v1/auth/login", null, { login: mobile, password: PASSWORD });
  expect(login.status, JSON.stringify(login.json)).to.equal(200);
  return {
    id: r.json.application.id as string,
    companyId: r.json.application.companyId as string,
    uscc: code,
    licence: lic.json.sha256 as string,
    mobile,
    token: login.json.token as string,
  };
}

/** A platform person holding `roles` (written directly: fixtures skip the approval of privileged grants). */
export async function platformPerson(api: Api, stack: TestStack, roles: string[]) {
  const mobile = randomMobile("137");
  const u = await api.call("POST", "/api/v1/users", OPERATOR, { name: "审核员", mobile, password: PASSWORD });
  expect(u.status, JSON.stringify(u.json)).to.equal(201);
  await stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [u.json.id, roles]);
  const login = await api.call("POST", "/api/v1/auth/login", null, { login: mobile, password: PASSWORD });
  return { id: u.json.id as string, token: login.json.token as string, mobile };
}
