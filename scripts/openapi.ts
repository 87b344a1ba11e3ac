/**
 * `npm run openapi [-- --out FILE]`: the OpenAPI document, written without a database, a chain or a server.
 * The route declarations are built over inert services (nothing is called until a request arrives), so the document
 * is exactly what `GET /api/v1/openapi.json` serves. The console's typed client is generated from it.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildRoutes } from "../api/src/app.js";
import { openapiFrom } from "../api/src/openapi/openapi.js";

/** Stands for any service: property reads give more of itself; calling it at declaration time is a bug. */
function inert(path: string): any {
  const fn = () => {
    throw new Error(
      `scripts/openapi.ts: ${path}() was called while declaring routes; routes must only keep references`,
    );
  };
  return new Proxy(fn, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => path : inert(`${path}.${String(key)}`)),
  });
}

/** Every route as the server declares it, built over inert services (for the document and its tests). */
export function declaredRoutes() {
  return buildRoutes(inert("opts"), inert("services"));
}

export function openapiDocument() {
  return openapiFrom(declaredRoutes());
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const text = JSON.stringify(openapiDocument(), null, 2) + "\n";
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}
