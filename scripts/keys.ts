/**
 * Encryption keys of sensitive fields (company signing keys, VINs, phone numbers, names, e-mails).
 *   npm run keys -- status          key versions configured, and how many ciphertexts are under each
 *   npm run keys -- add             add a new, highest key version to the key file (LEDGER_KEY_FILE or DATA_DIR/master.key)
 *   npm run keys -- rotate [--add]  re-encrypt everything under the highest version (with --add: add one first)
 * Rotation runs beside a live server (small compare-and-swap transactions); servers re-read the key file within 30 s,
 * so add the key, wait (or restart them), then rotate. With an environment secret (LEDGER_MASTER_KEY), deploy the ring
 * `1:<old>,2:<new>` everywhere first. Embedded PGlite is single-process: while `npm start` runs, rotate through
 * POST /api/v1/platform/encryption-keys/rotate with the operator token.
 * Exits 0 on success, 1 on failure, 2 on bad usage.
 */
import {
  addKeyVersion,
  keyFileOf,
  keyVersionCounts,
  loadConfig,
  openDatabase,
  openKeyVault,
  rotateKeys,
} from "../ledger-service/src/index.js";

const [command, ...flags] = process.argv.slice(2);
function usage(msg: string): never {
  console.error(`keys: ${msg}\nusage: npm run keys -- status | add | rotate [--add]`);
  process.exit(2);
}
if (!["status", "add", "rotate"].includes(command ?? "")) usage(`unknown command ${JSON.stringify(command ?? "")}`);
if (flags.some((f) => f !== "--add") || (flags.length > 0 && command !== "rotate"))
  usage(`unknown option ${flags.join(" ")}`);

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (e) {
  usage((e as Error).message);
}
const file = keyFileOf(config);
if (command === "add" || flags.includes("--add")) {
  if (!file)
    usage(
      "the keys come from LEDGER_MASTER_KEY (an environment secret): add `,<n>:<64 hex>` to it on every server instead",
    );
  const version = addKeyVersion(file);
  console.log(`added key version ${version} to ${file}; servers pick it up within 30 s`);
  if (command === "add") process.exit(0);
}

let db;
try {
  db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
} catch (e) {
  console.error(`keys: ${(e as Error).message}`);
  if ((e as { code?: string }).code === "DATABASE.IN_USE")
    console.error(
      "keys: while npm start runs, rotate through POST /api/v1/platform/encryption-keys/rotate with the operator token",
    );
  process.exit(1);
}
try {
  const vault = openKeyVault(config);
  if (command === "status") {
    console.log(
      `key versions: ${vault.versions.join(", ")} (current ${vault.currentVersion}) from ${file ?? "LEDGER_MASTER_KEY"}`,
    );
    console.log(`ciphertexts by key version: ${JSON.stringify(await keyVersionCounts(db.sql))}`);
  } else {
    console.log(`re-encrypting under key version ${vault.currentVersion} …`);
    const report = await rotateKeys(db.sql, vault, { log: (l) => console.log(l) });
    console.log(
      `done: ${report.reencrypted} re-encrypted; ciphertexts by key version now ${JSON.stringify(report.byVersion)}`,
    );
    const stale = Object.keys(report.byVersion).filter((v) => Number(v) !== report.currentVersion);
    if (stale.length) {
      console.log(`still under older keys: versions ${stale.join(", ")} — run again`);
      process.exitCode = 1;
    } else console.log("older key versions can now be removed from the key ring");
  }
} catch (e) {
  console.error(`keys: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
