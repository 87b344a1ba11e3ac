import { join } from "node:path";
import type { Config } from "../../../../ledger-service/src/index.js";
import { DirPhotoStore, type PhotoStore } from "./return-photos.js";

/**
 * The photo store the configuration names (DECISIONS 118): an S3-compatible bucket when RETURN_PHOTOS_S3_URL is set
 * (the AWS client is loaded only then), else the directory RETURN_PHOTOS_DIR (default DATA_DIR/return-photos).
 */
export async function photoStoreOf(
  c: Pick<
    Config,
    | "DATA_DIR"
    | "RETURN_PHOTOS_DIR"
    | "RETURN_PHOTOS_S3_URL"
    | "RETURN_PHOTOS_S3_BUCKET"
    | "RETURN_PHOTOS_S3_REGION"
    | "RETURN_PHOTOS_S3_ACCESS_KEY_ID"
    | "RETURN_PHOTOS_S3_SECRET_ACCESS_KEY"
    | "RETURN_PHOTOS_S3_PREFIX"
    | "RETURN_PHOTOS_S3_PATH_STYLE"
  >,
): Promise<PhotoStore> {
  if (c.RETURN_PHOTOS_S3_URL) {
    const { S3PhotoStore } = await import("./photo-store-s3.js");
    return new S3PhotoStore({
      url: c.RETURN_PHOTOS_S3_URL,
      bucket: c.RETURN_PHOTOS_S3_BUCKET!,
      region: c.RETURN_PHOTOS_S3_REGION,
      accessKeyId: c.RETURN_PHOTOS_S3_ACCESS_KEY_ID!,
      secretAccessKey: c.RETURN_PHOTOS_S3_SECRET_ACCESS_KEY!,
      prefix: c.RETURN_PHOTOS_S3_PREFIX,
      pathStyle: c.RETURN_PHOTOS_S3_PATH_STYLE === "true",
    });
  }
  return new DirPhotoStore(c.RETURN_PHOTOS_DIR ?? join(c.DATA_DIR, "return-photos"));
}
