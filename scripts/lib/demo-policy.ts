import type { Config } from "../../ledger-service/src/index.js";

/**
 * Whether the demo world may be seeded here: always on an embedded install (PGlite in DATA_DIR and the local chain);
 * with DATABASE_URL or CHAIN_RPC_URL only when asked (`npm run seed -- --force`, or SEED_DEMO=1).
 */
export function demoSeedPolicy(
  config: Pick<Config, "DATABASE_URL" | "CHAIN_RPC_URL">,
  asked: { force?: boolean; env?: string | undefined },
): { allowed: boolean; why: string } {
  const external = [config.DATABASE_URL && "DATABASE_URL", config.CHAIN_RPC_URL && "CHAIN_RPC_URL"].filter(Boolean);
  if (external.length === 0) return { allowed: true, why: "embedded install (PGlite in DATA_DIR, local chain)" };
  if (asked.force || asked.env === "1")
    return { allowed: true, why: `${external.join(" and ")} set, seeding because --force / SEED_DEMO=1 asked` };
  return {
    allowed: false,
    why: `not seeding the demo world: ${external.join(" and ")} set (a real deployment); run \`npm run seed -- --force\` or set SEED_DEMO=1 to seed it anyway`,
  };
}
