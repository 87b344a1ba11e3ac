import type { ErrorObject, ValidateFunction } from "ajv";
import { validate as generated } from "./bundle-schema.validate.generated.js";

/**
 * The validator of the bundle's published JSON Schema (docs/bundle.schema.json, the same file outsiders validate
 * against), precompiled by ajv's standalone code generation (`npm run generate:bundle-validator`; a test checks it is
 * current): the verifier reads no file and evaluates no code, so it runs in a browser under a strict CSP.
 */
const validator = generated as unknown as ValidateFunction;

export interface ShapeError {
  /** JSON Pointer of the offending value, e.g. `/events/3/event/partledger:ledger/step`. */
  pointer: string;
  message: string;
}

/** The first way `bundle` departs from docs/bundle.schema.json; null when it conforms. */
export function bundleShapeError(bundle: unknown): ShapeError | null {
  if (validator(bundle)) return null;
  return describe(validator.errors![0]!);
}

function describe(e: ErrorObject): ShapeError {
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  const allowed =
    (e.params as { allowedValues?: unknown[]; allowedValue?: unknown }).allowedValues ??
    (e.params as { allowedValue?: unknown }).allowedValue;
  if (extra !== undefined)
    return { pointer: `${e.instancePath}/${extra}`, message: `is not part of the bundle format` };
  return {
    pointer: e.instancePath || "/",
    message: `${e.message ?? "is invalid"}${allowed !== undefined ? ` ${JSON.stringify(allowed)}` : ""}`,
  };
}
