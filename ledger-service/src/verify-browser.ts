/**
 * The bundle verifier for a browser: the same verifyBundle the CLI (`npm run audit`) runs, with nothing of the server
 * (DECISIONS 62). The page fetches the public bundle and trust anchor (or takes files the auditor drops), then talks
 * to the chain's JSON-RPC endpoint directly; our server computes nothing. test/e2e/verify-in-browser.test.ts builds
 * this module with Vite and runs it in Chromium; test/audit/verifier-browser-safe.test.ts keeps its import graph
 * free of Node and server code.
 */
import { JsonRpcProvider, Network } from "ethers";
import { keccakUtf8, toHex, type Hex } from "./events/bytes.js";
import { TRUST_PATH, parseTrustAnchor, type TrustAnchor } from "./audit/trust.js";
import { verifyBundle, type BundleAuditReport } from "./audit/verify-bundle.js";
import type { Bundle } from "./proofs/bundle-format.js";
import type { StepListener, VerifyStep } from "./audit/verify-steps.js";
import {
  RECEIPT_BUNDLE_FORMAT,
  describeReceiptVerdict,
  verifyReceiptBundle,
  type ReceiptBundle,
  type ReceiptVerdict,
} from "./audit/receipt-check.js";

export { VERIFY_CHECKS, type StepListener, type StepSubject, type VerifyStep } from "./audit/verify-steps.js";
export type { BundleAuditReport, AuditFailure } from "./audit/verify-bundle.js";
export type { TrustAnchor } from "./audit/trust.js";
export type { Bundle } from "./proofs/bundle-format.js";
export { TRUST_PATH, RECEIPT_BUNDLE_FORMAT, describeReceiptVerdict };
export type { ReceiptBundle, ReceiptVerdict, UnitVerdict } from "./audit/receipt-check.js";

/** A GS1 Digital Link of a part (`…/01/{gtin}/21/{serial}…`, as printed on labels) or its bundle URL. */
const LINK = /\/01\/(\d{14})\/21\/([^/?#]+)/;
const BUNDLE_URL = /\/api\/v1\/parts\/(\d{14})\/([^/?#]+)\/bundle/;

/** The part a link names; null when it names none. */
export function partOfLink(link: string): { gtin: string; serial: string } | null {
  const m = LINK.exec(link) ?? BUNDLE_URL.exec(link);
  return m ? { gtin: m[1]!, serial: decodeURIComponent(m[2]!) } : null;
}

/**
 * The public bundle of the part a link names, from `apiBase` (the platform the page is served by): GET
 * /api/v1/parts/{gtin}/{serial}/bundle. Where it comes from does not matter to the verdict — every byte is checked.
 */
export async function fetchPartBundle(link: string, apiBase: string, fetchImpl: typeof fetch = fetch): Promise<Bundle> {
  const part = partOfLink(link);
  if (!part) throw new Error(`not a part link (…/01/{GTIN}/21/{serial}): ${link.slice(0, 120)}`);
  const url = new URL(
    `/api/v1/parts/${part.gtin}/${encodeURIComponent(part.serial)}/bundle`,
    apiBase.endsWith("/") ? apiBase : `${apiBase}/`,
  );
  const res = await fetchImpl(url, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`the platform has no bundle for ${part.gtin}/${part.serial} (HTTP ${res.status})`);
  return (await res.json()) as Bundle;
}

/** A trust anchor and its fingerprint, for the auditor to compare with the fingerprint of their pinned copy. */
export interface PinnedTrust {
  trust: TrustAnchor;
  /** keccak256 of the anchor's canonical JSON (docs/verification.md, "Verifying in a browser"). */
  fingerprint: Hex;
  source: string;
}

/**
 * The trust anchor's fingerprint: keccak256 of the UTF-8 JSON of the parsed anchor (addresses EIP-55, hashes
 * lower case) with its keys in code-point order and no white space. Two copies of the same anchor have the same one.
 */
export function trustFingerprint(trust: TrustAnchor): Hex {
  const sorted = Object.fromEntries(
    Object.entries(trust)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return toHex(keccakUtf8(JSON.stringify(sorted)));
}

/** Parses a trust document the auditor dropped (or pasted); throws naming the bad field. */
export function pinTrust(doc: unknown, source: string): PinnedTrust {
  const trust = parseTrustAnchor(doc, source);
  return { trust, fingerprint: trustFingerprint(trust), source };
}

/** The platform's published trust anchor (GET /.well-known/partledger-trust.json at `apiBase`). */
export async function fetchTrust(apiBase: string, fetchImpl: typeof fetch = fetch): Promise<PinnedTrust> {
  const url = new URL(TRUST_PATH, apiBase).toString();
  const res = await fetchImpl(url, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`no trust anchor at ${url} (HTTP ${res.status})`);
  return pinTrust(await res.json(), url);
}

/** What the page shows: the verdict, every step, and the audit report (null when the chain could not be asked). */
export interface BrowserVerdict {
  /** verified: every check passed; failed: a check failed (see report.failure); error: the chain could not be asked. */
  verdict: "verified" | "failed" | "error";
  report: BundleAuditReport | null;
  /** Why the verification could not be made (verdict "error"): the RPC endpoint unreachable or refusing this page. */
  error: string | null;
  steps: VerifyStep[];
  /** Milliseconds from start to verdict, in this browser. */
  ms: number;
}

export interface BrowserVerifyOptions {
  bundle: Bundle | unknown;
  trust: TrustAnchor;
  /** The chain's JSON-RPC endpoint, asked directly by the browser (it must answer CORS from the page's origin). */
  rpcUrl: string;
  onStep?: StepListener;
  /** How long to wait for the RPC endpoint's first answer (default 5,000 ms). */
  timeoutMs?: number;
  /** The part link pasted (absent for a dropped bundle): its label signature `s=` is checked (DECISIONS 74). */
  link?: string | undefined;
}

/**
 * Verifies a bundle in the browser against the chain at `rpcUrl`, trusting only `trust`. Never throws for a bad
 * bundle or an unreachable chain: the verdict says which.
 */
export async function verifyInBrowser(opts: BrowserVerifyOptions): Promise<BrowserVerdict> {
  const started = performance.now();
  const steps: VerifyStep[] = [];
  const onStep: StepListener = (s) => {
    steps.push(s);
    opts.onStep?.(s);
  };
  const done = (v: Omit<BrowserVerdict, "steps" | "ms">): BrowserVerdict => ({
    ...v,
    steps,
    ms: Math.round(performance.now() - started),
  });
  let provider: JsonRpcProvider | undefined;
  try {
    const chainId = await rpcChainId(opts.rpcUrl, opts.timeoutMs ?? 5000);
    // A static network: ethers asks nothing to start, and retries nothing forever on an unreachable endpoint.
    provider = new JsonRpcProvider(opts.rpcUrl, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1 });
    const report = await verifyBundle(opts.bundle as Bundle, provider, opts.trust, onStep, opts.link);
    return done({ verdict: report.ok ? "verified" : "failed", report, error: null });
  } catch (err) {
    const error = (err as Error).message;
    if (!steps.some((s) => s.check === "chain.read" && s.status === "failed"))
      onStep({
        index: steps.length,
        check: "chain.read",
        title: "The chain's facts are read from the RPC endpoint",
        status: "failed",
        subject: { kind: "chain", text: "the chain", seq: null, batchId: null, part: null, bizStep: null },
        detail: error,
        ms: Math.round(performance.now() - started),
      });
    return done({ verdict: "error", report: null, error });
  } finally {
    provider?.destroy();
  }
}

/** What the page shows for a warehouse receipt: the verdict and each unit's standing (DECISIONS 108, 117). */
export interface BrowserReceiptVerdict {
  /** verified: every unit the receipt locks is pledged to the lender alone; failed: see `receipt`; error: no chain. */
  verdict: "verified" | "failed" | "error";
  receipt: ReceiptVerdict | null;
  /** The CLI's lines (`npm run audit -- --receipt`), word for word. */
  lines: string[];
  error: string | null;
  ms: number;
}

export interface BrowserReceiptOptions {
  /** A receipt bundle (`partledger.receipt-bundle/1`, GET /finance/warehouse-receipts/{id}/bundle). */
  bundle: ReceiptBundle | unknown;
  /** The receipt id the lender checks (wr_ and 16 hex digits); the bundle must be of it. */
  receiptId: string;
  trust: TrustAnchor;
  rpcUrl: string;
  /** The lender's address to check against (else the one the bundle's receipt names). */
  lender?: Hex | undefined;
  timeoutMs?: number;
}

/**
 * A warehouse receipt's pledge checked in the browser by the same `verifyReceiptBundle` as `npm run audit --
 * --receipt`: every part bundle against the pinned chain, each unit's live pledge, and the chain's pledge heads that
 * tell a stale bundle (DECISIONS 117). Never throws: the verdict says which.
 */
export async function verifyReceiptInBrowser(opts: BrowserReceiptOptions): Promise<BrowserReceiptVerdict> {
  const started = performance.now();
  const done = (v: Omit<BrowserReceiptVerdict, "ms">): BrowserReceiptVerdict => ({
    ...v,
    ms: Math.round(performance.now() - started),
  });
  if (!/^wr_[0-9a-f]{16}$/.test(opts.receiptId))
    return done({
      verdict: "error",
      receipt: null,
      lines: [],
      error: `not a warehouse receipt id (wr_ and 16 hex digits): ${JSON.stringify(opts.receiptId.slice(0, 40))}`,
    });
  if (opts.lender !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(opts.lender))
    return done({
      verdict: "error",
      receipt: null,
      lines: [],
      error: `not a lender address (0x and 40 hex digits): ${JSON.stringify(opts.lender.slice(0, 60))}`,
    });
  let provider: JsonRpcProvider | undefined;
  try {
    const chainId = await rpcChainId(opts.rpcUrl, opts.timeoutMs ?? 5000);
    provider = new JsonRpcProvider(opts.rpcUrl, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1 });
    const receipt = await verifyReceiptBundle(
      opts.bundle as ReceiptBundle,
      opts.receiptId,
      provider,
      opts.trust,
      opts.lender,
    );
    return done({
      verdict: receipt.ok ? "verified" : "failed",
      receipt,
      lines: describeReceiptVerdict(receipt),
      error: null,
    });
  } catch (err) {
    return done({ verdict: "error", receipt: null, lines: [], error: (err as Error).message });
  } finally {
    provider?.destroy();
  }
}

/** eth_chainId by a plain fetch, so that an endpoint refusing this page (CORS) or down says so at once. */
async function rpcChainId(rpcUrl: string, timeoutMs: number): Promise<number> {
  let res: Response;
  try {
    res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new Error(
      `the chain's RPC endpoint ${rpcUrl} did not answer this page (${(err as Error).message}): it is down, or it ` +
        `does not allow this page's origin (CORS) — use an endpoint that does, or run \`npm run audit\``,
      { cause: err },
    );
  }
  const body = (await res.json().catch(() => null)) as { result?: string } | null;
  if (!res.ok || typeof body?.result !== "string")
    throw new Error(`the chain's RPC endpoint ${rpcUrl} answered HTTP ${res.status} without a chain id`);
  return Number(BigInt(body.result));
}
