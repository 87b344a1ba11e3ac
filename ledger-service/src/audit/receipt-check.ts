import type { JsonRpcProvider } from "ethers";
import type { Hex } from "../events/bytes.js";
import { shipToHashOf } from "../events/ship-to.js";
import { Stage } from "../lifecycle/transitions.js";
import type { Bundle } from "../proofs/bundle-format.js";
import type { TrustAnchor } from "./trust.js";
import { verifyBundle, whereOf, type BundleAuditReport } from "./verify-bundle.js";

/** The receipt bundle format (DECISIONS 108): a receipt as the platform states it, and each serial's part bundle. */
export const RECEIPT_BUNDLE_FORMAT = "partledger.receipt-bundle/1";

/**
 * What a lender downloads to check a warehouse-receipt pledge from the chain alone. `receipt` is the platform's
 * statement (attested, not proven); each of `parts` is an ordinary part bundle (the whole history of one serial,
 * every event with its Merkle proofs), verified against the pinned trust anchor like any other.
 */
export interface ReceiptBundle {
  format: typeof RECEIPT_BUNDLE_FORMAT;
  createdAt: string;
  receipt: {
    id: string;
    status: string;
    holder: { id: string; address: Hex };
    lender: { id: string; address: Hex } | null;
    /** Every serial the receipt names; `released`: the receipt no longer locks it. */
    serials: Array<{ gtin: string; serial: string; released: boolean }>;
  };
  parts: Bundle[];
}

/** One serial's standing on the ledger, from its verified history. */
export interface UnitVerdict {
  gtin: string;
  serial: string;
  /** pledged: live pledge under this receipt to the lender; the rest say why not. */
  status: "pledged" | "released" | "not_pledged" | "other_receipt" | "other_lender" | "double_pledge" | "missing";
  /** The event that decides it (the live pledge, its release, the second pledge), if any. */
  seq: number | null;
  reason: string;
}

export interface ReceiptVerdict {
  ok: boolean;
  receiptId: string;
  /** The lender the live pledges name (the one checked against, when given). */
  lender: Hex | null;
  units: UnitVerdict[];
  /** A part bundle that did not verify against the chain: the first, with its report. */
  bundleFailure: { gtin: string; serial: string; report: BundleAuditReport } | null;
  reports: BundleAuditReport[];
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The pledge rules over one serial's (already verified) events: the unit's last pledge-or-release must be a pledge
 * whose signed place names this receipt and whose signed lender is `lender`, and no pledge may follow another
 * without a release between them — a second live pledge is what a lender fears most.
 */
export function unitVerdict(
  part: { gtin: string; serial: string },
  events: Bundle["events"] | undefined,
  receiptId: string,
  lender: Hex,
): UnitVerdict {
  const unit = { gtin: part.gtin, serial: part.serial };
  if (!events?.length) return { ...unit, status: "missing", seq: null, reason: "no events of this unit in the bundle" };
  let open: Bundle["events"][number] | null = null;
  let last: Bundle["events"][number] | null = null;
  for (const e of events) {
    const step = e.event["partledger:ledger"].step;
    if (step === Stage.Pledged) {
      if (open)
        return {
          ...unit,
          status: "double_pledge",
          seq: e.seq,
          reason: `event ${e.seq} pledges it again while event ${open.seq}'s pledge is live (no release between)`,
        };
      open = e;
      last = e;
    } else if (step === Stage.Released) {
      open = null;
      last = e;
    }
  }
  if (!last) return { ...unit, status: "not_pledged", seq: null, reason: "never pledged on the ledger" };
  if (!open)
    return { ...unit, status: "released", seq: last.seq, reason: `its pledge was released at event ${last.seq}` };
  const f = open.event["partledger:ledger"];
  const underReceipt = f.place.slice(f.place.indexOf(":") + 1);
  if (underReceipt !== receiptId)
    return {
      ...unit,
      status: "other_receipt",
      seq: open.seq,
      reason: `its live pledge (event ${open.seq}) is under receipt ${underReceipt}, not ${receiptId}`,
    };
  if (!eq(f.privateHash, shipToHashOf(lender)))
    return {
      ...unit,
      status: "other_lender",
      seq: open.seq,
      reason: `its live pledge (event ${open.seq}) names another lender than ${lender}`,
    };
  return {
    ...unit,
    status: "pledged",
    seq: open.seq,
    reason: `pledged by event ${open.seq} to ${lender}, not released`,
  };
}

/**
 * The lender's independent check of a receipt (issue 15): every part bundle verifies against the pinned chain and
 * claims the unit's latest event, and every serial the receipt still locks is pledged under this receipt to `lender`
 * (default: the lender the bundle's receipt names) by a live pledge, with no other live pledge in its history.
 */
export async function verifyReceiptBundle(
  rb: ReceiptBundle,
  receiptId: string,
  provider: JsonRpcProvider,
  trust: TrustAnchor,
  lender?: Hex,
): Promise<ReceiptVerdict> {
  const against = lender ?? rb.receipt?.lender?.address ?? null;
  const verdict: ReceiptVerdict = {
    ok: false,
    receiptId,
    lender: against,
    units: [],
    bundleFailure: null,
    reports: [],
  };
  if (rb.format !== RECEIPT_BUNDLE_FORMAT || rb.receipt?.id !== receiptId || !Array.isArray(rb.parts)) {
    verdict.units.push({
      gtin: "",
      serial: "",
      status: "missing",
      seq: null,
      reason: `not a receipt bundle of ${receiptId} (${RECEIPT_BUNDLE_FORMAT})`,
    });
    return verdict;
  }
  const byPart = new Map<string, Bundle>();
  for (const b of rb.parts) {
    const report = await verifyBundle(b, provider, trust);
    verdict.reports.push(report);
    const scope = b.scope?.kind === "part" ? b.scope : null;
    if (!report.ok || !scope) {
      verdict.bundleFailure = {
        gtin: scope?.gtin ?? "",
        serial: scope?.serial ?? "",
        report: report.ok ? { ...report, ok: false, failure: notPartScope() } : report,
      };
      return verdict;
    }
    // Only a bundle that claims the unit's latest event can show that nothing came after the pledge.
    if (!b.parts.every((p) => p.latestIncluded)) {
      verdict.bundleFailure = {
        gtin: scope.gtin,
        serial: scope.serial,
        report: { ...report, ok: false, failure: notLatest() },
      };
      return verdict;
    }
    byPart.set(`${scope.gtin}/${scope.serial}`, b);
  }
  if (!against) {
    verdict.units.push({ gtin: "", serial: "", status: "missing", seq: null, reason: "no lender to check against" });
    return verdict;
  }
  for (const s of rb.receipt.serials.filter((x) => !x.released)) {
    verdict.units.push(unitVerdict(s, byPart.get(`${s.gtin}/${s.serial}`)?.events, receiptId, against));
  }
  verdict.ok = verdict.units.length > 0 && verdict.units.every((u) => u.status === "pledged");
  return verdict;
}

const notPartScope = () => ({
  check: "receipt.part-bundle",
  seq: null,
  batchId: null,
  reason: "a receipt bundle holds one part bundle per serial",
  step: null,
});
const notLatest = () => ({
  check: "receipt.latest",
  seq: null,
  batchId: null,
  reason: "the part bundle does not claim the unit's latest event: a later pledge could be missing",
  step: null,
});

/** The verdict in lines for the CLI. */
export function describeReceiptVerdict(v: ReceiptVerdict): string[] {
  const lines: string[] = [];
  if (v.bundleFailure) {
    const f = v.bundleFailure.report.failure!;
    lines.push(
      `FAILED: the part bundle of ${v.bundleFailure.gtin}/${v.bundleFailure.serial} does not verify at ` +
        `${whereOf(f)}${f.check ? ` [check ${f.check}]` : ""}: ${f.reason}`,
    );
    return lines;
  }
  for (const u of v.units) lines.push(`  ${u.status === "pledged" ? "✔" : "✘"} ${u.gtin}/${u.serial}: ${u.reason}`);
  const events = v.reports.reduce((n, r) => n + r.eventsChecked, 0);
  lines.push(
    v.ok
      ? `OK: receipt ${v.receiptId} — ${v.units.length} units pledged to ${v.lender} and to no one else ` +
          `(${events} events verified against the chain)`
      : `FAILED: receipt ${v.receiptId} — ${v.units.filter((u) => u.status !== "pledged").length} of ` +
          `${v.units.length} units not pledged to ${v.lender ?? "its lender"} alone`,
  );
  return lines;
}
