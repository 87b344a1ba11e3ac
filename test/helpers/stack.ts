import { randomBytes } from "node:crypto";
import {
  LOCAL_ADMIN_KEY,
  LOCAL_CHAIN_ID,
  LedgerService,
  Stage,
  loadConfig,
  newSerial,
  type Config,
  type LedgerServiceOptions,
} from "../../ledger-service/src/index.js";
import { gtin14, vinWithCheck } from "../../scripts/lib/identifiers.js";
import { freshDatabase } from "./database.js";
import { shared } from "./shared.js";

export const GTIN = gtin14("0690123456789");
export const VIN = vinWithCheck("LSVAU2180N2183294");
export const PLACE = { regionCode: "330106", locationId: "WH-1" };

export interface TestStack {
  svc: LedgerService;
  config: Config;
  chainUrl: string;
  /** The test database's URL when running against a PostgreSQL server. */
  databaseUrl?: string | undefined;
  maker: { id: string; address: string };
  dealer: { id: string; address: string };
  shop: { id: string; address: string };
  close(): Promise<void>;
}

/**
 * A ledger service on a fresh database and the shared local chain, with a manufacturer, a distributor and a
 * repair shop registered (each deployment of a fresh database gets its own contracts on the chain).
 */
export async function openStack(
  opts: Partial<Pick<LedgerServiceOptions, "fault" | "chainUrl" | "clock">> & {
    env?: Record<string, string>;
    makerMode?: "anchored" | "onchain";
    /** The distributor's and the shop's own mode (default: the maker's). */
    othersMode?: "anchored" | "onchain";
  } = {},
): Promise<TestStack> {
  const database = await freshDatabase();
  const config = loadConfig({
    ...(opts.env?.LEDGER_KEY_FILE ? {} : { LEDGER_MASTER_KEY: randomBytes(32).toString("hex") }),
    BATCH_MAX_EVENTS: "1000",
    BATCH_MAX_AGE_MS: "0",
    CONFIRMATION_DEPTH: "2",
    ...(opts.env ?? {}),
  });
  const svc = await LedgerService.open({
    config,
    database,
    chainUrl: opts.chainUrl ?? shared.chainUrl,
    adminKey: LOCAL_ADMIN_KEY,
    localChain: true,
    chainId: LOCAL_CHAIN_ID,
    ...(opts.fault ? { fault: opts.fault } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const maker = await svc.registerCompany({
    id: "maker",
    name: "博世汽车部件(苏州)有限公司",
    kind: "manufacturer",
    lifecycleMode: opts.makerMode ?? "anchored",
  });
  const others = opts.othersMode ?? opts.makerMode ?? "anchored";
  const dealer = await svc.registerCompany({
    id: "dealer",
    name: "杭州汽配经销商",
    kind: "distributor",
    lifecycleMode: others,
  });
  const shop = await svc.registerCompany({
    id: "shop",
    name: "西湖汽车修理厂",
    kind: "repair_shop",
    lifecycleMode: others,
  });
  return {
    svc,
    maker,
    dealer,
    shop,
    config,
    chainUrl: opts.chainUrl ?? shared.chainUrl,
    databaseUrl: database.url,
    async close() {
      await svc.close();
      await database.drop();
    },
  };
}

export const newParts = (n: number, lot = "L1") =>
  Array.from({ length: n }, () => ({ gtin: GTIN, serial: newSerial(), lot }));

/** `from` ships `parts` to `to` and `to` receives them: a change of custody always goes through a shipment. */
export async function handOver(
  stack: TestStack,
  from: string,
  to: string,
  parts: Array<{ gtin: string; serial: string }>,
) {
  const refs = parts.map(({ gtin, serial }) => ({ gtin, serial }));
  await stack.svc.ledger.append({ actorId: from, step: Stage.Shipped, parts: refs, place: PLACE, shipTo: to });
  await stack.svc.ledger.append({ actorId: to, step: Stage.Received, parts: refs, place: PLACE });
}

/**
 * Commission `n` parts, ship them all to the dealer, who receives them; the dealer ships the first `installed` to
 * the shop, which receives and installs them.
 */
export async function walkParts(stack: TestStack, n: number, installed = 0) {
  const parts = newParts(n);
  await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
  await handOver(stack, "maker", "dealer", parts);
  if (installed) await handOver(stack, "dealer", "shop", parts.slice(0, installed));
  for (const p of parts.slice(0, installed)) {
    await stack.svc.ledger.append({
      actorId: "shop",
      step: Stage.Installed,
      parts: [{ gtin: p.gtin, serial: p.serial }],
      place: PLACE,
      vin: VIN,
    });
  }
  return parts;
}

/** A second service on the same database and chain: the process after a restart. */
export function restart(stack: TestStack): Promise<LedgerService> {
  return LedgerService.open({
    config: stack.config,
    database: stack.svc.db,
    chainUrl: stack.chainUrl,
    adminKey: LOCAL_ADMIN_KEY,
    localChain: true,
    chainId: LOCAL_CHAIN_ID,
  });
}
