import { fileURLToPath } from "node:url";

/** Where the bundle's published JSON Schema lives (Node only; the verifier imports it as a module, bundle-schema.ts). */
export const BUNDLE_SCHEMA_FILE = fileURLToPath(new URL("../../../docs/bundle.schema.json", import.meta.url));
