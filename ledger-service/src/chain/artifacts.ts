import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AppError } from "../errors.js";

export interface Artifact {
  contractName: string;
  abi: ReadonlyArray<Record<string, unknown>>;
  bytecode: string;
}

const ROOT = fileURLToPath(new URL("../../../artifacts/contracts/", import.meta.url));

/** Reads a compiled contract from Hardhat's artifacts (`npm run build:contracts`). */
export function loadArtifact(name: "AnchorRegistry" | "PartRegistry" | "BenchErc721"): Artifact {
  try {
    const dir = name.startsWith("Bench") ? `bench/${name}.sol` : `${name}.sol`;
    return JSON.parse(readFileSync(`${ROOT}${dir}/${name}.json`, "utf8")) as Artifact;
  } catch {
    throw new AppError(
      "CHAIN.NO_ARTIFACTS",
      `contract artifacts for ${name} are missing: run \`npm run build:contracts\``,
      500,
    );
  }
}
