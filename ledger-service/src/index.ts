/** The provenance ledger's public surface: what api/, scripts/ and tests import. */
export { AppError, isAppError } from "./errors.js";
export { loadConfig, configSchema, type Config } from "./config.js";
export { openDatabase, type Database } from "./db/database.js";
export { migrate } from "./db/migrate.js";
export { LedgerService, addKeyVersion, keyFileOf, openKeyVault, type LedgerServiceOptions } from "./service.js";
export { Ledger, type RecordInput, type AppendResult } from "./ledger/ledger.js";
export { Stage, TRANSITIONS, isLegalTransition, isPledgeStep, BIZ_STEP } from "./lifecycle/transitions.js";
export { startLocalChain, LOCAL_ADMIN_KEY, LOCAL_CHAIN_ID, type LocalChain } from "./chain/local-chain.js";
export { makeProvider } from "./chain/deployment.js";
export {
  verifyBundle,
  checkBundle,
  whereOf,
  type AuditReport,
  type AuditFailure,
  type BundleAuditReport,
} from "./audit/verify-bundle.js";
export { TRUST_FORMAT, TRUST_PATH, parseTrustAnchor, trustAnchorOf, type TrustAnchor } from "./audit/trust.js";
export { bundleShapeError } from "./audit/bundle-schema.js";
export { BUNDLE_SCHEMA_FILE } from "./audit/bundle-schema-file.js";
export { readChainFacts } from "./audit/chain-facts.js";
export { auditLedger } from "./audit/audit-ledger.js";
export { ledgerHealth, type HealthReason, type LedgerHealthThresholds } from "./health/ledger-health.js";
export { BUNDLE_FORMAT, type Bundle, type BundleActor, type UsccLookup } from "./proofs/bundle.js";
export { newSerial } from "./gs1/serial.js";
export { shipToHashOf } from "./events/ship-to.js";
export { gs1CheckDigit, assertGtin14 } from "./gs1/gtin.js";
export {
  auditTrail,
  type AuditEntry,
  type AuditEntryInput,
  type AuditActorType,
  type TrailReport,
} from "./audit/trail.js";
export { KeyVault } from "./ledger/key-vault.js";
export type { Sql } from "./db/sql.js";
export { DeferredCheckFailed, type DeferredCheck } from "./db/deferred-writes.js";
export { rotateKeys, keyVersionCounts, ENCRYPTED_COLUMNS, type RotationReport } from "./ledger/rotation.js";
export { configureLogging, logger, lineLog, LOG_LEVELS, type Logger, type LogLevel } from "./log.js";
export { openChannel, type Channel } from "./db/notifications.js";
export {
  RECEIPT_BUNDLE_FORMAT,
  currencyVerdict,
  describeReceiptVerdict,
  readPledgeHeads,
  unitVerdict,
  verifyReceiptBundle,
  type PledgeHead,
  type ReceiptBundle,
  type ReceiptVerdict,
} from "./audit/receipt-check.js";
