import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { loadConfig } from "../../ledger-service/src/index.js";
import { S3PhotoStore } from "../../api/src/modules/returns/photo-store-s3.js";
import { photoStoreOf } from "../../api/src/modules/returns/photo-stores.js";
import { startApi } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { S3RVER_KEY, startS3Server } from "../helpers/s3-server.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/** A few bytes that each signature accepts (as in disputes-api.test.ts). */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24, 1)]);
const BUCKET = "pl-return-photos";
const PREFIX = "returns/";
/** A distinct PNG per n (the check reads the signature; the SHA-256 tells them apart). */
const png = (n: number) => Buffer.concat([PNG, Buffer.from(`picture ${n}`)]);

/**
 * Returns' photos in an S3-compatible bucket (DECISIONS 118), selected by RETURN_PHOTOS_S3_* and run against a real
 * S3 HTTP server (s3rver, which checks each request's access key and bucket): the same checks as the directory store (bytes,
 * size, the same picture once, at most 10), every recorded photo an object and no object without its row (a refused
 * upload removes its own), photos read back through the API; a store that fails answers 503 and records nothing.
 */
describe("return photos in an S3-compatible store", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let store: S3PhotoStore;
  let orderId = "";
  let skuId = 0;
  const shop = () => api.keys.shop!;
  const dealer = () => api.keys.dealer!;
  const sql = (q: string, p: unknown[]) => stack.svc.db.sql.query(q, p);
  const upload = (id: string, token: string, bytes: Buffer, type: string) =>
    fetch(`${api.origin}/api/v1/returns/${id}/photos`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": type },
      body: new Uint8Array(bytes),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }));
  const requestReturn = async () => {
    const r = await api.call("POST", "/api/v1/returns", shop(), { reason: "defective", orderId, lineNo: 1 });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    return r.json.id as string;
  };
  /** What the bucket holds, read by a client of its own. */
  const bucket = async () => {
    const reader = new S3Client({
      endpoint: s3.url,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    });
    try {
      const out = await reader.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }));
      const keys = (out.Contents ?? []).map((o) => o.Key!).sort();
      const get = async (key: string) =>
        Buffer.from(
          await (await reader.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray(),
        );
      return { keys, get };
    } finally {
      reader.destroy();
    }
  };
  const rows = async (id: string) =>
    (await sql("SELECT file FROM return_photos WHERE return_id = $1 ORDER BY file", [id])).rows.map(
      (r) => PREFIX + (r as { file: string }).file,
    );

  before(async () => {
    s3 = await startS3Server([BUCKET]);
    const config = loadConfig({
      RETURN_PHOTOS_S3_URL: s3.url,
      RETURN_PHOTOS_S3_BUCKET: BUCKET,
      RETURN_PHOTOS_S3_ACCESS_KEY_ID: S3RVER_KEY,
      RETURN_PHOTOS_S3_SECRET_ACCESS_KEY: S3RVER_KEY,
      RETURN_PHOTOS_S3_PREFIX: PREFIX,
      RETURN_PHOTOS_S3_PATH_STYLE: "true",
    });
    store = (await photoStoreOf(config)) as S3PhotoStore;
    expect(store).to.be.instanceOf(S3PhotoStore);
    stack = await openStack();
    api = await startApi(stack, undefined, undefined, { returnPhotos: { store, maxBytes: 4096 } });
    [skuId] = (await importSkus(api, ["bosch,0 986 494 201,前刹车片,brake_pad,aftermarket,前"])) as [number];
    const loc = await sharedWarehouse(api, dealer(), {
      code: "WH-S3",
      name: "照片仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, dealer(), { locationId: loc, skuId, quantity: 20, price: 120 });
    const placed = await api.call("POST", "/api/v1/orders", shop(), { lines: [{ skuId, quantity: 5 }] });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    orderId = placed.json.id as string;
    const status = (token: string, body: unknown) => api.call("POST", `/api/v1/orders/${orderId}/status`, token, body);
    expect((await status(dealer(), { to: "picking" })).status).to.equal(200);
    expect((await status(dealer(), { to: "shipped", carrier: "顺丰", trackingNo: "SF1234567890" })).status).to.equal(
      200,
    );
    expect((await status(shop(), { to: "delivered" })).status).to.equal(200);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
    store?.close();
    await s3?.stop();
  });

  it("is chosen by RETURN_PHOTOS_S3_URL, which needs a bucket and both keys", () => {
    expect(() => loadConfig({ RETURN_PHOTOS_S3_URL: "http://127.0.0.1:9000" }))
      .to.throw(/RETURN_PHOTOS_S3_BUCKET: is required/)
      .and.to.have.property("message")
      .that.matches(/RETURN_PHOTOS_S3_SECRET_ACCESS_KEY: is required/);
    expect(() =>
      loadConfig({
        RETURN_PHOTOS_S3_URL: "http://127.0.0.1:9000",
        RETURN_PHOTOS_S3_BUCKET: "Bad_Bucket",
        RETURN_PHOTOS_S3_ACCESS_KEY_ID: "k",
        RETURN_PHOTOS_S3_SECRET_ACCESS_KEY: "s",
      }),
    ).to.throw(/RETURN_PHOTOS_S3_BUCKET: must be a bucket name/);
  });

  it("keeps the checks, stores each photo as one object, at most 10, and serves them back", async () => {
    const id = await requestReturn();
    const jpeg = await upload(id, shop(), JPEG, "image/jpeg");
    expect(jpeg.status, JSON.stringify(jpeg.json)).to.equal(201);
    expect((await upload(id, shop(), JPEG, "image/jpeg")).json.id).to.equal(jpeg.json.id); // the same picture: one
    const bad = [
      [await upload(id, shop(), PNG, "image/jpeg"), 415, "RETURN.PHOTO_TYPE"],
      [await upload(id, shop(), Buffer.alloc(0), "image/png"), 400, "RETURN.PHOTO_EMPTY"],
      [await upload(id, shop(), Buffer.concat([PNG, Buffer.alloc(5000)]), "image/png"), 413, "RETURN.PHOTO_TOO_LARGE"],
    ] as const;
    for (const [got, status, code] of bad) expect([got.status, got.json.code]).to.deep.equal([status, code]);
    for (let n = 1; n <= 8; n++) expect((await upload(id, dealer(), png(n), "image/png")).status).to.equal(201);
    // Two different pictures at once for the tenth place: both pass the first check and are put; the row lock lets
    // one in, and the other's object is removed again.
    const race = await Promise.all([
      upload(id, shop(), png(100), "image/png"),
      upload(id, shop(), png(101), "image/png"),
    ]);
    expect(race.map((r) => r.status).sort()).to.deep.equal([201, 409]);
    expect(race.find((r) => r.status === 409)!.json).to.include({ code: "RETURN.TOO_MANY_PHOTOS" });
    const eleventh = await upload(id, shop(), png(102), "image/png");
    expect([eleventh.status, eleventh.json.code]).to.deep.equal([409, "RETURN.TOO_MANY_PHOTOS"]);
    const held = await bucket();
    const recorded = await rows(id);
    expect(recorded).to.have.length(10);
    expect(held.keys).to.deep.equal(recorded); // every row an object, no object without its row
    const file = await fetch(`${api.origin}/api/v1/returns/${id}/photos/${jpeg.json.id}`, {
      headers: { authorization: `Bearer ${dealer()}` },
    });
    expect([file.status, file.headers.get("content-type")]).to.deep.equal([200, "image/jpeg"]);
    expect(Buffer.from(await file.arrayBuffer()).equals(JPEG)).to.equal(true);
    const key = recorded.find((k) => k.includes(jpeg.json.id as string))!;
    expect((await held.get(key)).equals(JPEG)).to.equal(true);
  });

  it("answers 503 and records nothing when the store refuses or is gone", async () => {
    const id = await requestReturn();
    const first = await upload(id, shop(), png(1), "image/png");
    expect(first.status).to.equal(201);
    // An unknown access key, a bucket that does not exist: the server refuses, the store says which bucket.
    for (const [accessKeyId, name] of [
      ["NOT-A-KEY", BUCKET],
      [S3RVER_KEY, "no-such-bucket"],
    ]) {
      const wrong = new S3PhotoStore({
        url: s3.url,
        bucket: name!,
        region: "us-east-1",
        accessKeyId: accessKeyId!,
        secretAccessKey: S3RVER_KEY,
        pathStyle: true,
      });
      const refused = await wrong.put(`${id}/x.png`, "image/png", png(2)).then(
        () => null,
        (e: { code?: string; status?: number; message: string }) => e,
      );
      wrong.close();
      expect(refused, name).to.include({ code: "RETURN.PHOTO_STORE_UNAVAILABLE", status: 503 });
      expect(refused!.message).to.contain(`S3 bucket ${name} at ${s3.url}`);
    }
    // The server gone: uploads and reads answer 503, and no row is written.
    await s3.stop();
    const down = await upload(id, shop(), png(3), "image/png");
    expect([down.status, down.json.code]).to.deep.equal([503, "RETURN.PHOTO_STORE_UNAVAILABLE"]);
    expect(down.json.detail ?? down.json.message).to.match(/photo store \(S3 bucket .*\) could not write/);
    expect(await rows(id)).to.have.length(1);
    const read = await api.call("GET", `/api/v1/returns/${id}/photos/${first.json.id}`, shop());
    expect([read.status, read.json.code]).to.deep.equal([503, "RETURN.PHOTO_STORE_UNAVAILABLE"]);
  });
});
