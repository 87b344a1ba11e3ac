import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { logger } from "../../../../ledger-service/src/index.js";
import { storeUnavailable, type PhotoMedia, type PhotoStore } from "./return-photos.js";

/** An S3-compatible bucket for returns' photos (RETURN_PHOTOS_S3_*). */
export interface S3PhotoStoreOptions {
  /** The service's endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9000 (MinIO). */
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys are `<prefix><return>/<photo>.<ext>`; "" for none. */
  prefix?: string;
  /** `<url>/<bucket>/<key>` instead of `<bucket>.<host>/<key>` (MinIO, Ceph; not Aliyun OSS). */
  pathStyle?: boolean;
  /** How long one request may take before the store counts as unavailable (ms). */
  timeoutMs?: number;
}

/**
 * Photos as objects in an S3-compatible bucket through the maintained AWS client. A put is one PutObject with the
 * body's MD5 (the server refuses a body that arrived damaged), so an object exists whole or not at all. Checksums
 * beyond that are asked for only where the operation requires them: several S3-compatible servers refuse the
 * client's newer default CRC headers. Every failure — unreachable, refused credentials, no such bucket, time-out —
 * becomes RETURN.PHOTO_STORE_UNAVAILABLE (503) naming the bucket; nothing the caller records depends on a failed put.
 */
export class S3PhotoStore implements PhotoStore {
  readonly where: string;
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly opts: S3PhotoStoreOptions) {
    this.where = `S3 bucket ${opts.bucket} at ${opts.url}`;
    this.prefix = opts.prefix ?? "";
    const timeout = opts.timeoutMs ?? 10_000;
    this.client = new S3Client({
      endpoint: opts.url,
      region: opts.region,
      credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
      forcePathStyle: opts.pathStyle ?? false,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 2,
      requestHandler: { connectionTimeout: Math.min(timeout, 3_000), requestTimeout: timeout },
    });
  }

  async put(key: string, media: PhotoMedia, bytes: Buffer) {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.opts.bucket,
          Key: this.prefix + key,
          Body: bytes,
          ContentType: media,
          ContentLength: bytes.length,
          ContentMD5: createHash("md5").update(bytes).digest("base64"),
        }),
      );
    } catch (e) {
      throw storeUnavailable(this.where, `write ${key}`, e);
    }
  }

  async get(key: string) {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.prefix + key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (e) {
      throw storeUnavailable(this.where, `read ${key}`, e);
    }
  }

  async remove(key: string) {
    await this.client
      .send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.prefix + key }))
      .catch((e: unknown) =>
        logger("return-photos").warn({ err: e, key }, `${this.where}: could not remove ${key}; it stays an orphan`),
      );
  }

  /** Closes the client's connections (tests, shutdown). */
  close() {
    this.client.destroy();
  }
}
