/** `npm run generate:bundle-validator`: writes the bundle schema's precompiled validator (scripts/lib/bundle-validator.ts). */
import { writeFileSync } from "node:fs";
import { VALIDATOR_FILE, bundleValidatorSource } from "./lib/bundle-validator.js";

writeFileSync(VALIDATOR_FILE, await bundleValidatorSource());
console.log(`wrote ${VALIDATOR_FILE}`);
