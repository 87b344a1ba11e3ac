import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The part of s3rver (a real S3 HTTP API over files, no types of its own) the tests use. */
interface S3rver {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverCtor = new (o: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}) => S3rver;

/** s3rver's fixed credentials: it refuses another access key id (it does not verify V4 signatures). */
export const S3RVER_KEY = "S3RVER";

/**
 * An S3-compatible server on 127.0.0.1 (a free port) with `buckets` created, keeping its objects in a temporary
 * directory; `stop()` ends it (closing kept-alive connections, so that clients see it gone at once).
 */
export async function startS3Server(buckets: string[]) {
  const S3rver = createRequire(import.meta.url)("s3rver") as S3rverCtor;
  const directory = mkdtempSync(join(tmpdir(), "pl-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  let running = true;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (!running) return;
      running = false;
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
