// Runs `prisma generate` without Prisma's native schema engine (see DECISIONS.md: "Prisma without its binaries").
// The client generator needs no engine; the CLI only insists that the variable points at an existing file.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";

const stub = join("node_modules", ".cache", "partledger", "no-schema-engine.sh");
if (!existsSync(stub)) {
  mkdirSync(join("node_modules", ".cache", "partledger"), { recursive: true });
  writeFileSync(stub, "#!/bin/sh\necho 'PartLedger applies SQL migrations itself (npm run migrate)' >&2\nexit 1\n");
  chmodSync(stub, 0o755);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? join(process.cwd(), stub),
};
const run = spawnSync(
  process.execPath,
  [join("node_modules", "prisma", "build", "index.js"), "generate", "--schema", "prisma"],
  { stdio: "inherit", env },
);
process.exit(run.status ?? 1);
