import {
  Stage,
  isPledgeStep,
  TRUST_PATH,
  shipToHashOf,
  type LedgerService,
  type TrustAnchor,
} from "../../../../ledger-service/src/index.js";
import { partKeyOf } from "../../../../ledger-service/src/events/canonical.js";
import { labelSignedBy } from "../../../../ledger-service/src/events/label-signature.js";
import type { KeyObject } from "node:crypto";
import type { PartLink } from "../../../../ledger-service/src/gs1/digital-link.js";
import type { PartViewEvent } from "../../../../ledger-service/src/ledger/ledger-store.js";
import type { Company } from "../orgs/orgs.service.js";
import { coarse, distanceMetres } from "../../shared/geo.js";
import { placeName } from "../../shared/regions.js";
import type { PartsService } from "../parts/parts.service.js";
import { ScanLog } from "./scan-log.js";

export type VerdictCode = "GENUINE" | "GENUINE_PENDING_ANCHOR" | "UNKNOWN" | "ALREADY_INSTALLED" | "SUSPECT_CLONE";

export interface TimelineStep {
  seq: number;
  step: "commissioning" | "receiving" | "installing" | "shipping";
  at: string;
  by: { name: string; kind: string; address: string };
  /** As the ledger records it: `regionCode:locationId` (e.g. `320505:FACTORY`). */
  place: string;
  /** The place for people: region names from GB/T 2260 and the kind of site (`江苏省 苏州市 虎丘区 · 工厂`). */
  placeName: string;
  vin?: string;
  anchor: {
    status: "final" | "pending";
    batchId: number | null;
    txHash: string | null;
    blockNumber: number | null;
    confirmations: number | null;
  };
}

export interface Verdict {
  verdict: VerdictCode;
  reason: string;
  /**
   * `brandOwner`: the minting company, named only when it owns the GTIN's verified GS1 company prefix — then, too,
   * the brand and product name it gave the GTIN; otherwise all three are null (the minter's claim proves nothing).
   */
  part: {
    gtin: string;
    serial: string;
    lot: string | null;
    manufacturer: string | null;
    brandOwner: string | null;
    brand: string | null;
    name: string | null;
  };
  timeline: TimelineStep[];
  scannedAt: string;
  /**
   * The deployment "verified on chain" refers to: the platform's pinned trust anchor (the same document auditors pin,
   * at `document`). Null while the chain has not been reached since start.
   */
  trust:
    | (Pick<TrustAnchor, "chainId" | "anchorRegistry" | "partRegistry" | "deploymentBlock"> & { document: string })
    | null;
}

export interface ScanContext {
  company?: Company | undefined;
  location?: { lng: number; lat: number } | undefined;
  now?: Date;
}

/** Faster than any train between two scans of one physical label: two labels. */
const MAX_PLAUSIBLE_KMH = 350;
const MIN_CLONE_DISTANCE_M = 50_000;
const STEPS = {
  [Stage.Commissioned]: "commissioning",
  [Stage.Received]: "receiving",
  [Stage.Installed]: "installing",
  [Stage.Shipped]: "shipping",
} as const;

import { maskVin } from "../../security/personal-data.js";
export { maskVin };

/**
 * The repair shop's scan: the part's custody history from the ledger, each step's anchoring state, and a
 * verdict with a stable reason code. Copied labels are caught from custody and from where and when the same
 * serial was scanned before, not from a scan counter.
 */
export class VerifyService {
  private names = new Map<string, { id: string; name: string; kind: string }>();
  private labelKeys = new Map<string, KeyObject | null>();

  readonly scans: ScanLog;

  constructor(
    private readonly ledger: LedgerService,
    private readonly parts: Pick<PartsService, "product">,
    /** The verified owner of a GTIN's GS1 company prefix (modules/gs1). */
    private readonly gtinOwner: (gtin: string) => Promise<{ companyId: string } | null> = async () => null,
  ) {
    this.scans = new ScanLog(ledger.db.sql);
  }

  async scan(link: PartLink, ctx: ScanContext = {}): Promise<Verdict> {
    const now = ctx.now ?? new Date();
    const partKey = partKeyOf(link.gtin, link.serial);
    const [judged, pin] = await Promise.all([this.judge(link, partKey, ctx, now), this.ledger.knownTrustAnchor()]);
    const trust = pin
      ? {
          chainId: pin.chainId,
          anchorRegistry: pin.anchorRegistry,
          partRegistry: pin.partRegistry,
          deploymentBlock: pin.deploymentBlock,
          document: TRUST_PATH,
        }
      : null;
    const verdict: Verdict = { ...judged, trust };
    const where = ctx.company ? { lng: ctx.company.lng, lat: ctx.company.lat } : ctx.location;
    this.scans.record({
      partKey,
      at: now,
      lng: where ? coarse(where.lng) : null,
      lat: where ? coarse(where.lat) : null,
      companyId: ctx.company?.id ?? null,
      verdict: verdict.verdict,
    });
    return verdict;
  }

  /**
   * A part's evidence for a counterfeit report, without recording a scan: its custody as the ledger has it (who, when,
   * where; no VIN) and its recent scans (when, where to 0.01°, whether a logged-in company scanned).
   */
  async evidence(gtin: string, serial: string) {
    const partKey = partKeyOf(gtin, serial);
    const { events, chainHead } = await this.ledger.partView(gtin, serial);
    const steps = (await this.timeline(events, chainHead)).map((s) => ({
      step: s.step,
      at: s.at,
      by: { name: s.by.name, kind: s.by.kind },
      placeName: s.placeName,
      anchored: s.anchor.status === "final",
    }));
    const scans = (await this.scans.recent(partKey)).slice(0, 50).map((r) => ({
      scannedAt: r.scannedAt.toISOString(),
      location: r.lng === null || r.lat === null ? null : { lng: r.lng, lat: r.lat },
      byCompany: r.companyId !== null,
    }));
    return { custody: steps, scans };
  }

  /** The last company of record in a part's custody (its holder, or the one that shipped or installed it); null: none. */
  async lastHolder(gtin: string, serial: string): Promise<{ companyId: string; name: string; kind: string } | null> {
    const { events } = await this.ledger.partView(gtin, serial);
    const last = events[events.length - 1];
    if (!last) return null;
    const named = await this.nameOf(last.actor);
    const id = this.names.get(last.actor.toLowerCase())?.id;
    return id ? { companyId: id, name: named.name, kind: named.kind } : null;
  }

  private async judge(link: PartLink, partKey: string, ctx: ScanContext, now: Date): Promise<Omit<Verdict, "trust">> {
    const base = {
      part: {
        gtin: link.gtin,
        serial: link.serial,
        lot: link.lot ?? null,
        manufacturer: null,
        brandOwner: null,
        brand: null,
        name: null,
      },
      timeline: [],
      scannedAt: now.toISOString(),
    };
    const { events, chainHead } = await this.ledger.partView(link.gtin, link.serial);
    if (events.length === 0 || /^0+$/.test(link.gtin)) return { ...base, verdict: "UNKNOWN", reason: "NEVER_ISSUED" };
    const makerKey = await this.labelKeyOf(events[0]!.actor);
    if (!link.signature || !makerKey || !labelSignedBy(link, makerKey)) {
      return {
        ...base,
        verdict: "UNKNOWN",
        reason: link.signature ? "LABEL_SIGNATURE_INVALID" : "LABEL_SIGNATURE_MISSING",
      };
    }
    const lot = events[0]!.lot;
    if (link.lot !== undefined && link.lot !== lot) return { ...base, verdict: "UNKNOWN", reason: "LOT_MISMATCH" };
    const timeline = await this.timeline(events, chainHead);
    const minter = this.names.get(events[0]!.actor.toLowerCase())?.id;
    const owns = minter !== undefined && (await this.gtinOwner(link.gtin))?.companyId === minter;
    const product = owns ? await this.parts.product(link.gtin) : null;
    const named = product?.companyId === minter ? product : null;
    const part = {
      gtin: link.gtin,
      serial: link.serial,
      lot,
      manufacturer: timeline[0]!.by.name,
      brandOwner: owns ? timeline[0]!.by.name : null,
      brand: named?.brand ?? null,
      name: named?.name ?? null,
    };
    const result = (verdict: VerdictCode, reason: string): Omit<Verdict, "trust"> => ({
      verdict,
      reason,
      part,
      timeline,
      scannedAt: now.toISOString(),
    });

    if (events[0]!.partStage === Stage.Installed) return result("ALREADY_INSTALLED", "INSTALLED_BEFORE_THIS_SCAN");
    const shop = ctx.company?.kind === "repair_shop" ? ctx.company : undefined;
    // A shop outside the part's custody holds a copy — unless the part is on its way to that very shop (shipped
    // against its order, receipt not recorded yet): checking parts on arrival is what shops scan for.
    let inbound = false;
    if (shop && !events.some((e) => e.actor.toLowerCase() === shop.address.toLowerCase())) {
      const last = events[events.length - 1]!;
      // The shipment signs its destination (shipToHashOf the receiver's address): orders, transfers and dispatches.
      inbound = last.step === Stage.Shipped && last.fields.privateHash === shipToHashOf(shop.address);
      if (!inbound) return result("SUSPECT_CLONE", "SCANNED_BY_SHOP_THAT_NEVER_RECEIVED_IT");
    }
    const here = ctx.company ? { lng: ctx.company.lng, lat: ctx.company.lat } : ctx.location;
    if (here) {
      for (const prev of await this.scans.recent(partKey)) {
        if (prev.lng === null || prev.lat === null) continue;
        const metres = distanceMetres(here, { lng: prev.lng, lat: prev.lat });
        const hours = Math.max((now.getTime() - prev.scannedAt.getTime()) / 3_600_000, 1 / 3600);
        if (metres > MIN_CLONE_DISTANCE_M && metres / 1000 / hours > MAX_PLAUSIBLE_KMH)
          return result("SUSPECT_CLONE", "SCANNED_TOO_FAR_APART");
      }
    }
    const final = timeline.every((s) => s.anchor.status === "final");
    if (inbound) return result(final ? "GENUINE" : "GENUINE_PENDING_ANCHOR", "SHIPPED_TO_THIS_SHOP");
    return final
      ? result("GENUINE", "CUSTODY_VERIFIED_ON_CHAIN")
      : result("GENUINE_PENDING_ANCHOR", "ANCHORING_PENDING");
  }

  private async timeline(events: PartViewEvent[], chainHead: number | null): Promise<TimelineStep[]> {
    const steps: TimelineStep[] = [];
    for (const e of events) {
      // Pledges and releases (DECISIONS 107) encumber a part without moving it: the scan shows custody only.
      if (isPledgeStep(e.step)) continue;
      const final = e.batch?.status === "final";
      const vin = e.step === Stage.Installed ? (await this.ledger.privateFields(e.structHash))?.vin : undefined;
      steps.push({
        seq: e.seq,
        step: STEPS[e.step as keyof typeof STEPS],
        at: e.body.eventTime,
        by: { ...(await this.nameOf(e.actor)), address: e.actor },
        place: e.fields.place,
        placeName: placeName(e.fields.place),
        ...(vin ? { vin: maskVin(vin) } : {}),
        anchor: {
          status: final ? "final" : "pending",
          batchId: e.batch?.id ?? null,
          txHash: e.batch?.txHash ?? null,
          blockNumber: e.batch?.blockNumber ?? null,
          confirmations:
            final && e.batch?.blockNumber != null && chainHead != null
              ? Math.max(1, chainHead - e.batch.blockNumber + 1)
              : null,
        },
      });
    }
    return steps;
  }

  private async nameOf(address: string) {
    const key = address.toLowerCase();
    if (!this.names.has(key)) {
      for (const a of await this.ledger.actors.list())
        this.names.set(a.address.toLowerCase(), { id: a.id, name: a.name, kind: a.kind });
    }
    const found = this.names.get(key);
    return found ? { name: found.name, kind: found.kind } : { name: address, kind: "unknown" };
  }

  /** The key a manufacturer signs labels with (cached); null when it keeps its own key and published none. */
  private async labelKeyOf(address: string): Promise<KeyObject | null> {
    const key = address.toLowerCase();
    if (!this.labelKeys.has(key)) {
      await this.nameOf(address);
      const id = this.names.get(key)?.id;
      const keys = id ? await this.ledger.actors.labelKeysOf(id) : null;
      this.labelKeys.set(key, keys?.publicKey ?? null);
    }
    return this.labelKeys.get(key)!;
  }
}
