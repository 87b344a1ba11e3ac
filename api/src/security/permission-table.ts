import {
  BUILT_IN_ROLES,
  COMPANY_KINDS,
  LEVELS,
  RESOURCES,
  builtInPermissions,
  type BuiltInRoleId,
  type TenantKind,
} from "./permissions.js";
import type { RouteSpec } from "./routes.js";

/** Every (tenant kind, built-in role) pair that exists: the columns of the permission matrix. */
export function rolesByKind(): Array<{ kind: TenantKind; role: BuiltInRoleId }> {
  const kinds: TenantKind[] = [...COMPANY_KINDS, "platform"];
  return kinds.flatMap((kind) =>
    (Object.keys(BUILT_IN_ROLES) as BuiltInRoleId[])
      .filter((r) => builtInPermissions(r, kind))
      .map((role) => ({ kind, role })),
  );
}

/** Whether a holder of `role` at a tenant of `kind` may call the route (by its declaration alone). */
export function allowed(spec: RouteSpec, kind: TenantKind, role: BuiltInRoleId): boolean {
  if ("public" in spec.access || "authenticated" in spec.access) return true;
  return (builtInPermissions(role, kind) ?? []).includes(spec.access.permission);
}

const SHORT: Record<TenantKind, string> = {
  manufacturer: "M",
  distributor: "D",
  repair_shop: "S",
  lender: "L",
  service_provider: "V",
  platform: "P",
};

/** docs/permissions.md: the declared matrix as a readable table (written by `npm run docs:permissions`, checked by a test). */
export function permissionTable(routes: RouteSpec[]): string {
  const cols = rolesByKind();
  const lines = [
    "# Permissions",
    "",
    "Generated from the route declarations and built-in roles (`npm run docs:permissions`); `test/security/permission-matrix.test.ts`",
    "drives every route with every role below, and a foreign company, and checks the answers against this table.",
    "",
    `Operation levels: ${LEVELS.map((l) => `\`${l}\``).join(", ")}.`,
    "",
    "Resources and the tenant kinds that can hold each level (M manufacturer, D distributor, S repair shop, L lender, V service provider, P platform):",
    "",
    "| resource | levels |",
    "| --- | --- |",
    ...Object.entries(RESOURCES).map(
      ([res, levels]) =>
        `| \`${res}\` | ${Object.entries(levels as Record<string, readonly TenantKind[]>)
          .map(([l, kinds]) => `${l} (${kinds.map((k) => SHORT[k]).join("")})`)
          .join(", ")} |`,
    ),
    "",
    "Roles: " +
      (Object.keys(BUILT_IN_ROLES) as BuiltInRoleId[]).map((r) => `\`${r}\` ${BUILT_IN_ROLES[r].name}`).join("; ") +
      ".",
    "A role marked privileged (approve, audit, administer, configure, or reveal personal data) is granted only through a role-grant request that a second person approves.",
    "",
    `Columns: ${cols.map((c) => `${SHORT[c.kind]}:${c.role}`).join(", ")}. ✔ allowed, · refused (403). Records of another company answer 404.`,
    "",
    `| route | needs | ${cols.map((c) => `${SHORT[c.kind]}:${c.role.replace(/_/g, " ")}`).join(" | ")} |`,
    `| --- | --- | ${cols.map(() => ":-:").join(" | ")} |`,
    ...routes.map((r) => {
      const needs =
        "public" in r.access
          ? `public — ${r.access.public}`
          : "authenticated" in r.access
            ? "any signed-in caller"
            : `\`${r.access.permission}\``;
      return `| \`${r.method.toUpperCase()} ${r.path}\` | ${needs} | ${cols.map((c) => (allowed(r, c.kind, c.role) ? "✔" : "·")).join(" | ")} |`;
    }),
    "",
  ];
  return lines.join("\n");
}
