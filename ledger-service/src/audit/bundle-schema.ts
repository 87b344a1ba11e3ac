import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import schema from "../../../docs/bundle.schema.json" with { type: "json" };

/**
 * The bundle's published JSON Schema (docs/bundle.schema.json, the same file outsiders validate against), imported
 * as a module so that the verifier reads no file and runs in a browser too (its path: BUNDLE_SCHEMA_FILE, index.ts).
 */
export const BUNDLE_SCHEMA: object = schema;

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    // ajv-formats is CommonJS: its function is the module and also its `default`.
    const addFormats = (addFormatsModule as unknown as { default: (a: Ajv2020) => unknown }).default;
    addFormats(ajv);
    validator = ajv.compile(BUNDLE_SCHEMA);
  }
  return validator;
}

export interface ShapeError {
  /** JSON Pointer of the offending value, e.g. `/events/3/event/partledger:ledger/step`. */
  pointer: string;
  message: string;
}

/** The first way `bundle` departs from docs/bundle.schema.json; null when it conforms. */
export function bundleShapeError(bundle: unknown): ShapeError | null {
  const validate = compiled();
  if (validate(bundle)) return null;
  return describe(validate.errors![0]!);
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
