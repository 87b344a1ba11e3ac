/**
 * Role-based access: a permission is an operation level on a resource (`part:create`, `user:approve`), granted
 * through roles. Built-in roles are declared here per company kind; companies add custom roles from the
 * permissions their kind may hold. Every route declares the one permission it needs (security/routes.ts).
 */

/** The twelve operation levels. */
export const LEVELS = [
  "view",
  "create",
  "edit",
  "submit",
  "approve",
  "reject",
  "cancel",
  "delete",
  "export",
  "configure",
  "audit",
  "administer",
] as const;
export type Level = (typeof LEVELS)[number];

export type CompanyKind = "manufacturer" | "distributor" | "repair_shop";
export type TenantKind = CompanyKind | "platform";
export const COMPANY_KINDS: readonly CompanyKind[] = ["manufacturer", "distributor", "repair_shop"];

/**
 * Resources and, for each level that means something on it, which kinds of tenant may hold it. A permission not
 * listed here does not exist (a custom role naming it is refused).
 */
const ALL: readonly TenantKind[] = ["manufacturer", "distributor", "repair_shop"];
export const RESOURCES = {
  company: { view: ALL, edit: ALL, create: ["platform"], administer: ["platform"] },
  user: {
    view: [...ALL, "platform"],
    create: [...ALL, "platform"],
    edit: [...ALL, "platform"],
    submit: [...ALL, "platform"],
    approve: [...ALL, "platform"],
    reject: [...ALL, "platform"],
    cancel: [...ALL, "platform"],
    delete: [...ALL, "platform"],
  },
  role: { view: ALL, create: ALL, edit: ALL, delete: ALL },
  api_key: { view: ALL, create: ALL, delete: ALL },
  part: { view: ALL, create: ["manufacturer"] },
  gs1_prefix: {
    view: ["manufacturer", "platform"],
    create: ["manufacturer"],
    approve: ["platform"],
    reject: ["platform"],
  },
  custody: { create: ["distributor", "repair_shop"] },
  /** Shipping a carton of serials to a named company outside platform orders (POST /dispatches). */
  dispatch: { create: ["manufacturer", "distributor"] },
  installation: { view: ["repair_shop"], create: ["repair_shop"] },
  label: { view: ["manufacturer"], export: ["manufacturer"] },
  personal_data: { view: [...ALL, "platform"] },
  audit_log: { view: [...ALL, "platform"], export: [...ALL, "platform"], audit: [...ALL, "platform"] },
  ledger: { audit: ["platform"] },
  catalog: { view: [...ALL, "platform"], create: ["manufacturer", "platform"], approve: ["platform"] },
  offer: { view: ALL, create: ["manufacturer", "distributor"] },
  inventory: {
    view: ["manufacturer", "distributor"],
    edit: ["manufacturer", "distributor"],
    configure: ["manufacturer", "distributor"],
    approve: ["manufacturer", "distributor"],
  },
  order: { view: ALL, create: ["distributor", "repair_shop"], edit: ALL, cancel: ["distributor", "repair_shop"] },
  webhook: { view: ALL, create: ALL, delete: ALL },
  /** Requests for quotes: a shop asks (create), accepts a quote (edit) or withdraws (cancel); suppliers asked see them. */
  rfq: {
    view: ["distributor", "repair_shop"],
    create: ["repair_shop"],
    edit: ["repair_shop"],
    cancel: ["repair_shop"],
  },
  /** Quoting a request for quotes sent to my company. */
  quote: { create: ["distributor"] },
  /** Search-driven promotions: suggestions from demand, time-limited discounts and their measured uplift. */
  promotion: { view: ["distributor"], create: ["distributor"] },
  encryption_key: { configure: ["platform"] },
  /** Demand forecasts: my warehouses' (distributors, manufacturers), any (platform); refits. */
  forecast: { view: ["manufacturer", "distributor", "platform"], edit: ["manufacturer", "distributor", "platform"] },
  /** Demand by city and province: a manufacturer's own products, or all (platform). */
  regional_demand: { view: ["manufacturer", "platform"] },
  /** Reorder points and proposals for my warehouses; acting on them; service levels. */
  replenishment: {
    view: ["manufacturer", "distributor"],
    edit: ["manufacturer", "distributor"],
    configure: ["manufacturer", "distributor"],
  },
  /** The seasonal calendar: read by everyone, kept by the platform's team. */
  seasonal_factor: { view: [...ALL, "platform"], edit: ["platform"] },
  /** Counterfeit reports from the scan page: the brand owner's (its GTINs) and the platform's (all). */
  counterfeit_report: { view: ["manufacturer", "platform"], edit: ["manufacturer", "platform"] },
} as const satisfies Record<string, Partial<Record<Level, readonly TenantKind[]>>>;

export type Resource = keyof typeof RESOURCES;
export type Permission = `${Resource}:${Level}`;

export function isPermission(p: string): p is Permission {
  const [res, level] = p.split(":");
  return (
    res !== undefined && level !== undefined && res in RESOURCES && level in (RESOURCES as Record<string, object>)[res]!
  );
}

/** Every permission a tenant of `kind` can hold at all. */
export function permissionsOfKind(kind: TenantKind): Permission[] {
  return Object.entries(RESOURCES).flatMap(([res, levels]) =>
    Object.entries(levels as Record<string, readonly TenantKind[]>)
      .filter(([, kinds]) => kinds.includes(kind))
      .map(([level]) => `${res}:${level}` as Permission),
  );
}

export interface BuiltInRole {
  name: string;
  kinds: readonly TenantKind[];
  /** Granted to a holder only where the holder's kind can hold them (see RESOURCES). */
  permissions: readonly Permission[];
  /** Holding it can approve others' requests or reveal personal data: granting it needs a second person. */
  privileged?: boolean;
}

const ADMIN_EXCLUDES: readonly Permission[] = ["personal_data:view", "audit_log:audit", "audit_log:export"];

export const BUILT_IN_ROLES = {
  company_admin: {
    name: "企业管理员 Company admin",
    kinds: COMPANY_KINDS,
    // Every kind's permissions, once each (the kinds share many: company:view would otherwise be listed three times).
    permissions: [
      ...new Set(
        permissionsOfKind("manufacturer")
          .concat(permissionsOfKind("distributor"), permissionsOfKind("repair_shop"))
          .filter((p) => !ADMIN_EXCLUDES.includes(p)),
      ),
    ],
    privileged: true,
  },
  buyer: {
    name: "采购 Buyer",
    kinds: ["distributor", "repair_shop"],
    permissions: [
      "company:view",
      "part:view",
      "catalog:view",
      "offer:view",
      "order:view",
      "order:create",
      "order:edit",
      "order:cancel",
      "rfq:view",
      "rfq:create",
      "rfq:edit",
      "rfq:cancel",
    ],
  },
  sales: {
    name: "销售 Sales",
    kinds: ["manufacturer", "distributor"],
    permissions: [
      "company:view",
      "part:view",
      "label:view",
      "catalog:view",
      "offer:view",
      "offer:create",
      "order:view",
      "order:edit",
      "rfq:view",
      "quote:create",
      "promotion:view",
      "promotion:create",
      "inventory:view",
      "inventory:configure",
      "forecast:view",
      "regional_demand:view",
      "replenishment:view",
      "seasonal_factor:view",
    ],
  },
  warehouse_clerk: {
    name: "仓管员 Warehouse clerk",
    kinds: COMPANY_KINDS,
    permissions: [
      "company:view",
      "part:view",
      "part:create",
      "gs1_prefix:view",
      "custody:create",
      "dispatch:create",
      "label:view",
      "label:export",
      "catalog:view",
      "offer:view",
      "inventory:view",
      "inventory:edit",
      "order:view",
      "order:edit",
      "forecast:view",
      "forecast:edit",
      "replenishment:view",
      "replenishment:edit",
      "seasonal_factor:view",
    ],
  },
  finance: {
    name: "财务 Finance",
    kinds: COMPANY_KINDS,
    permissions: ["company:view", "part:view", "catalog:view", "offer:view", "order:view", "inventory:view"],
  },
  technician: {
    name: "技师 Technician",
    kinds: ["repair_shop"],
    permissions: [
      "company:view",
      "part:view",
      "installation:view",
      "installation:create",
      "personal_data:view",
      "catalog:view",
      "offer:view",
    ],
    privileged: true,
  },
  auditor: {
    name: "审计员 Auditor",
    kinds: [...COMPANY_KINDS, "platform"],
    permissions: [
      "company:view",
      "part:view",
      "installation:view",
      "user:view",
      "role:view",
      "api_key:view",
      "audit_log:view",
      "audit_log:export",
      "audit_log:audit",
      "ledger:audit",
      "catalog:view",
      "order:view",
      "inventory:view",
      "counterfeit_report:view",
    ],
    privileged: true,
  },
  platform_operator: {
    name: "平台运营 Platform operator",
    kinds: ["platform"],
    permissions: permissionsOfKind("platform").filter((p) => p !== "personal_data:view"),
    privileged: true,
  },
} as const satisfies Record<string, BuiltInRole>;

export type BuiltInRoleId = keyof typeof BUILT_IN_ROLES;

export const isBuiltIn = (id: string): id is BuiltInRoleId => Object.hasOwn(BUILT_IN_ROLES, id);

/** What a built-in role grants a holder of `kind`; null when the role is not offered to that kind. */
export function builtInPermissions(id: BuiltInRoleId, kind: TenantKind): Permission[] | null {
  const role: BuiltInRole = BUILT_IN_ROLES[id];
  if (!role.kinds.includes(kind)) return null;
  const allowed = new Set(permissionsOfKind(kind));
  return role.permissions.filter((p) => allowed.has(p));
}

/** A permission that lets its holder approve others' requests, reveal personal data or administer: a second person grants it. */
export const PRIVILEGED: ReadonlySet<Level> = new Set(["approve", "administer", "audit", "configure"]);
export const isPrivileged = (p: Permission) => PRIVILEGED.has(p.split(":")[1] as Level) || p === "personal_data:view";
