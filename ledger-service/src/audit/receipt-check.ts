import { Contract, type JsonRpcProvider } from "ethers";
import type { Hex } from "../events/bytes.js";
import { partKeyOf } from "../events/canonical.js";
import { shipToHashOf } from "../events/ship-to.js";
import { Stage, isPledgeStep } from "../lifecycle/transitions.js";
import type { Bundle } from "../proofs/bundle-format.js";
import type { TrustAnchor } from "./trust.js";
import { ANCHOR_REGISTRY_ABI } from "./verifier-abi.js";
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
  /**
   * pledged: live pledge under this receipt to the lender; the rest say why not. superseded: the chain's pledge head
   * is a later pledge than the bundle shows (released and pledged again); not_current: the chain cannot vouch that
   * the bundle's last pledge step is the unit's latest (no pledge head, or another one). A stale bundle whose pledge
   * was released since is `released`, from the chain's pledge head (DECISIONS 117).
   */
  status:
    | "pledged"
    | "released"
    | "not_pledged"
    | "other_receipt"
    | "other_lender"
    | "double_pledge"
    | "missing"
    | "superseded"
    | "not_current";
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

/** A part's latest anchored pledge step as AnchorRegistry keeps it (seq 0: none). */
export interface PledgeHead {
  seq: number;
  batchId: number;
  step: number;
}

/** AnchorRegistry's pledge heads of `partKeys`, 500 a call; null when the pinned registry keeps none (older ABI). */
export async function readPledgeHeads(
  provider: JsonRpcProvider,
  trust: TrustAnchor,
  partKeys: Hex[],
): Promise<Map<string, PledgeHead> | null> {
  const reg = new Contract(trust.anchorRegistry, ANCHOR_REGISTRY_ABI, provider);
  const heads = new Map<string, PledgeHead>();
  const CHUNK = 500;
  try {
    for (let i = 0; i < partKeys.length; i += CHUNK) {
      const keys = partKeys.slice(i, i + CHUNK);
      const got: Array<{ seq: bigint; batchId: bigint; step: bigint }> = await reg.getFunction("pledgeHeadsOf")(keys);
      keys.forEach((k, j) =>
        heads.set(k.toLowerCase(), {
          seq: Number(got[j]!.seq),
          batchId: Number(got[j]!.batchId),
          step: Number(got[j]!.step),
        }),
      );
    }
  } catch (e) {
    if ((e as { code?: string }).code === "CALL_EXCEPTION" || (e as { code?: string }).code === "BAD_DATA") return null;
    throw e;
  }
  return heads;
}

/**
 * Whether the bundle's last pledge step of a unit is the chain's pledge head (DECISIONS 117): AnchorRegistry moves a
 * part's head to its last pledge or release in each batch it anchors, in the same transaction, so a bundle exported
 * before a release or a new pledge shows an older event than the head. Null when the bundle is current; otherwise the
 * verdict that replaces the history's.
 */
export function currencyVerdict(
  part: { gtin: string; serial: string },
  events: Bundle["events"] | undefined,
  head: PledgeHead | null,
): UnitVerdict | null {
  const unit = { gtin: part.gtin, serial: part.serial };
  const last = events?.findLast((e) => isPledgeStep(e.event["partledger:ledger"].step)) ?? null;
  if (!head) {
    return {
      ...unit,
      status: "not_current",
      seq: last?.seq ?? null,
      reason: "the pinned AnchorRegistry keeps no pledge heads: the chain cannot show this bundle is current",
    };
  }
  if (head.seq === 0) {
    if (!last) return null; // never pledged, on the chain or in the bundle: the history's verdict stands
    return {
      ...unit,
      status: "not_current",
      seq: last.seq,
      reason:
        `the chain holds no pledge head for this unit, while the bundle shows event ${last.seq}: its batch was ` +
        "anchored without pledge heads, so the chain cannot show the bundle is current",
    };
  }
  if (last && head.seq === last.seq && head.batchId === last.batchId) return null;
  const what = head.step === Stage.Released ? "a release" : "a pledge";
  if (!last || head.seq > last.seq) {
    return {
      ...unit,
      status: head.step === Stage.Released ? "released" : "superseded",
      seq: head.seq,
      reason:
        `bundle not current: the chain's latest pledge step for this unit is ${what} at event ${head.seq} ` +
        `(batch ${head.batchId}), later than ${last ? `the bundle's event ${last.seq}` : "anything in the bundle"}` +
        (head.step === Stage.Released ? "" : ": it was released and pledged again") +
        " — fetch a fresh bundle",
    };
  }
  return {
    ...unit,
    status: "not_current",
    seq: last.seq,
    reason:
      `the bundle's event ${last.seq} (batch ${last.batchId ?? "none"}) is not the chain's pledge head ` +
      `(${what} at event ${head.seq}, batch ${head.batchId})`,
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
    // A bundle must claim the unit's latest event; the chain's pledge head then shows it is still current.
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
  const locked = rb.receipt.serials.filter((x) => !x.released);
  // Nothing after the pledge, from the chain alone: each unit's pledge head (DECISIONS 117).
  const heads = await readPledgeHeads(
    provider,
    trust,
    locked.map((s) => partKeyOf(s.gtin, s.serial)),
  );
  for (const s of locked) {
    const events = byPart.get(`${s.gtin}/${s.serial}`)?.events;
    const head = heads ? (heads.get(partKeyOf(s.gtin, s.serial).toLowerCase()) ?? null) : null;
    verdict.units.push(
      (events?.length ? currencyVerdict(s, events, head) : null) ?? unitVerdict(s, events, receiptId, against),
    );
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
