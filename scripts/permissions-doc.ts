/** `npm run docs:permissions`: writes docs/permissions.md from the route declarations (a test checks it is current). */
import { writeFileSync } from "node:fs";
import { declaredRoutes } from "./lib/declared-routes.js";
import { permissionTable } from "../api/src/security/permission-table.js";

writeFileSync(new URL("../docs/permissions.md", import.meta.url), permissionTable(declaredRoutes()));
console.log("wrote docs/permissions.md");
