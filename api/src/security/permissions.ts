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

export type CompanyKind = "manufacturer" | "distributor" | "repair_shop" | "lender" | "service_provider";
export type TenantKind = CompanyKind | "platform";
export const COMPANY_KINDS: readonly CompanyKind[] = [
  "manufacturer",
  "distributor",
  "repair_shop",
  "lender",
  "service_provider",
];

/**
 * Resources and, for each level that means something on it, which kinds of tenant may hold it. A permission not
 * listed here does not exist (a custom role naming it is refused).
 */
const ALL: readonly TenantKind[] = ["manufacturer", "distributor", "repair_shop"];
/**
 * The trading kinds, lenders (banks, factoring companies; issue 15) and service providers (training, equipment rental,
 * logistics; issue 17): what every company administers of itself.
 */
const ANY: readonly TenantKind[] = [...ALL, "lender", "service_provider"];
export const RESOURCES = {
  company: { view: ANY, edit: ANY, create: ["platform"], administer: ["platform"] },
  /** Self-registered companies' applications (入驻审核, DECISIONS 98): the platform's review queue and its decisions. */
  company_application: { view: ["platform"], approve: ["platform"], reject: ["platform"] },
  user: {
    view: [...ANY, "platform"],
    create: [...ANY, "platform"],
    edit: [...ANY, "platform"],
    submit: [...ANY, "platform"],
    approve: [...ANY, "platform"],
    reject: [...ANY, "platform"],
    cancel: [...ANY, "platform"],
    delete: [...ANY, "platform"],
  },
  role: { view: ANY, create: ANY, edit: ANY, delete: ANY },
  api_key: { view: ANY, create: ANY, delete: ANY },
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
  audit_log: { view: [...ANY, "platform"], export: [...ANY, "platform"], audit: [...ANY, "platform"] },
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
  webhook: { view: ANY, create: ANY, delete: ANY },
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
  /** Returns (RMA): buyers request and ship back; sellers decide, receive and settle; the platform sees swaps and sets rules. */
  return: {
    view: [...ALL, "platform"],
    create: ["distributor", "repair_shop"],
    edit: ALL,
    configure: ["manufacturer", "distributor", "platform"],
  },
  /**
   * Disputes over refused returns: the requester opens one, both sides and the platform write on its timeline, a
   * platform person proposes an outcome (submit) and a second one approves it (DECISIONS 103).
   */
  dispute: {
    view: [...ALL, "platform"],
    create: ["distributor", "repair_shop"],
    edit: [...ALL, "platform"],
    submit: ["platform"],
    approve: ["platform"],
  },
  /** Recalls: a brand owner opens and follows them; holders and installing shops see theirs; the platform sees all. */
  recall: { view: [...ALL, "platform"], create: ["manufacturer"], edit: ["manufacturer"] },
  /**
   * Warehouse receipts (仓单) over my stock and their pledges: issued and cancelled by the warehouse, pledged by another
   * person of the company, released by the platform on the lender's instruction (DECISIONS 75).
   */
  warehouse_receipt: {
    view: ["manufacturer", "distributor", "lender", "platform"],
    create: ["manufacturer", "distributor"],
    submit: ["manufacturer", "distributor"],
    cancel: ["manufacturer", "distributor"],
    approve: ["lender", "platform"],
  },
  /** Invoices of delivered orders, payments against them, customers' payment terms (edit), aging (DECISIONS 77). */
  /**
   * Invoices: sellers issue them for delivered orders (create); a settled service bills itself (DECISIONS 114), so
   * providers and the platform (its commission) view theirs and record payments received (edit), and create none.
   */
  invoice: {
    view: [...ALL, "service_provider", "platform"],
    create: ["manufacturer", "distributor"],
    edit: ["manufacturer", "distributor", "service_provider", "platform"],
  },
  /** A borrower's consent that a named lender sees its credit profile: granted and revoked by the borrower (DECISIONS 76). */
  credit_consent: { view: ANY, create: ALL, cancel: ALL },
  /** A borrower's credit profile: only a lender it consented to, while the consent stands. */
  credit_profile: { view: ["lender"] },
  /**
   * Order loans (DECISIONS 105): a borrower applies (create), repays (edit) and withdraws (cancel); its lender's
   * officer proposes terms (submit) and declines (reject), another person approves (approve) and records the
   * disbursement and repayments received (edit).
   */
  loan: {
    view: [...ALL, "lender"],
    create: ALL,
    edit: [...ALL, "lender"],
    cancel: ALL,
    submit: ["lender"],
    approve: ["lender"],
    reject: ["lender"],
  },
  /** A lender's credit limit per borrower: draws above it are refused (DECISIONS 105). */
  credit_limit: { view: ["lender"], edit: ["lender"] },
  /** Counterfeit reports from the scan page: the brand owner's (its GTINs) and the platform's (all). */
  counterfeit_report: { view: ["manufacturer", "platform"], edit: ["manufacturer", "platform"] },
  /** The support assistant: a company's users ask about their own orders, parts and cars, and policies. */
  support_chat: { view: ALL, create: ALL },
  /** Conversations handed over to a person: the platform's support agents list, claim, reply and close them. */
  support_queue: { view: ["platform"], edit: ["platform"] },
  /** The support knowledge base the assistant answers policy questions from, kept by the platform. */
  knowledge_base: { view: ["platform"], create: ["platform"], edit: ["platform"], delete: ["platform"] },
  /** The management cockpit: a company's own business, the platform's whole; exports; refreshing the rollups. */
  cockpit: {
    view: ["manufacturer", "distributor", "platform"],
    export: ["manufacturer", "distributor", "platform"],
    edit: ["platform"],
  },
  /** Services (issue 17): a provider's courses, sessions and equipment; shops and the platform browse them. */
  service_offering: {
    view: ["repair_shop", "service_provider", "platform"],
    create: ["service_provider"],
    edit: ["service_provider"],
    cancel: ["service_provider"],
  },
  /** Enrolments and rentals: a shop books (create), stops a rental (edit), cancels; the provider sees and stops too. */
  service_booking: {
    view: ["repair_shop", "service_provider"],
    create: ["repair_shop"],
    edit: ["repair_shop", "service_provider"],
    cancel: ["repair_shop", "service_provider"],
  },
  /**
   * Deliveries (同城配送, DECISIONS 115): a party of an order books one for a shipment (create) and may cancel it
   * (edit, as the state table allows); the provider accepts, picks up and delivers (edit).
   */
  service_delivery: {
    view: ["distributor", "repair_shop", "service_provider"],
    create: ["distributor", "repair_shop"],
    edit: ["distributor", "repair_shop", "service_provider"],
  },
  /** Settling attended sessions and returned rentals (with damage claims), and the settlements with commission. */
  service_settlement: { view: ["service_provider", "platform"], create: ["service_provider"] },
  /** The platform's commission per service category: read by providers, set by the platform (DECISIONS 101). */
  service_commission: { view: ["service_provider", "platform"], configure: ["platform"] },
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
          .concat(
            permissionsOfKind("distributor"),
            permissionsOfKind("repair_shop"),
            permissionsOfKind("lender"),
            permissionsOfKind("service_provider"),
          )
          .filter((p) => !ADMIN_EXCLUDES.includes(p)),
      ),
    ],
    privileged: true,
  },
  buyer: {
    name: "采购 Buyer",
    kinds: ["distributor", "repair_shop"],
    permissions: [
      "support_chat:view",
      "support_chat:create",
      "company:view",
      "part:view",
      "catalog:view",
      "offer:view",
      "order:view",
      "order:create",
      "order:edit",
      "order:cancel",
      "return:view",
      "return:create",
      "return:edit",
      "dispute:view",
      "dispute:create",
      "dispute:edit",
      "recall:view",
      "invoice:view",
      "rfq:view",
      "rfq:create",
      "rfq:edit",
      "rfq:cancel",
      "service_offering:view",
      "service_booking:view",
      "service_booking:create",
      "service_booking:edit",
      "service_booking:cancel",
      "service_delivery:view",
      "service_delivery:create",
      "service_delivery:edit",
    ],
  },
  sales: {
    name: "销售 Sales",
    kinds: ["manufacturer", "distributor"],
    permissions: [
      "support_chat:view",
      "support_chat:create",
      "company:view",
      "part:view",
      "label:view",
      "catalog:view",
      "offer:view",
      "offer:create",
      "order:view",
      "order:edit",
      "return:view",
      "return:edit",
      "dispute:view",
      "dispute:edit",
      "recall:view",
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
      "cockpit:view",
      "cockpit:export",
    ],
  },
  warehouse_clerk: {
    name: "仓管员 Warehouse clerk",
    kinds: ["manufacturer", "distributor", "repair_shop"],
    permissions: [
      "support_chat:view",
      "support_chat:create",
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
      "return:view",
      "return:edit",
      "recall:view",
      "forecast:view",
      "forecast:edit",
      "replenishment:view",
      "replenishment:edit",
      "seasonal_factor:view",
      "warehouse_receipt:view",
      "warehouse_receipt:create",
      "warehouse_receipt:cancel",
      "service_delivery:view",
      "service_delivery:create",
      "service_delivery:edit",
    ],
  },
  finance: {
    name: "财务 Finance",
    kinds: COMPANY_KINDS,
    permissions: [
      "support_chat:view",
      "support_chat:create",
      "company:view",
      "part:view",
      "catalog:view",
      "offer:view",
      "order:view",
      "inventory:view",
      "return:view",
      "warehouse_receipt:view",
      "warehouse_receipt:submit",
      "invoice:view",
      "invoice:create",
      "invoice:edit",
      "credit_consent:view",
      "credit_consent:create",
      "credit_consent:cancel",
      "service_settlement:view",
      "service_commission:view",
      "loan:view",
      "loan:create",
      "loan:edit",
      "loan:cancel",
    ],
  },
  technician: {
    name: "技师 Technician",
    kinds: ["repair_shop"],
    permissions: [
      "support_chat:view",
      "support_chat:create",
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
      "return:view",
      "recall:view",
      "counterfeit_report:view",
      "warehouse_receipt:view",
      "invoice:view",
      "loan:view",
      "cockpit:view",
      "cockpit:export",
      "service_settlement:view",
    ],
    privileged: true,
  },
  onboarding_reviewer: {
    name: "入驻审核员 Onboarding reviewer",
    kinds: ["platform"],
    permissions: [
      "company_application:view",
      "company_application:approve",
      "company_application:reject",
      // The platform's approvals inbox, where the two-person requests of company_onboarding wait (DECISIONS 98).
      "user:view",
      "user:approve",
      "user:reject",
      "user:cancel",
    ],
    privileged: true,
  },
  support_agent: {
    name: "客服 Support agent",
    kinds: ["platform"],
    permissions: [
      "support_queue:view",
      "support_queue:edit",
      "knowledge_base:view",
      "knowledge_base:create",
      "knowledge_base:edit",
      "knowledge_base:delete",
    ],
  },
  credit_officer: {
    name: "信贷员 Credit officer",
    kinds: ["lender"],
    permissions: [
      "company:view",
      "credit_consent:view",
      "credit_profile:view",
      "warehouse_receipt:view",
      "loan:view",
      "loan:submit",
      "loan:reject",
      "loan:edit",
      "credit_limit:view",
    ],
  },
  credit_approver: {
    name: "审批人 Credit approver",
    kinds: ["lender"],
    permissions: [
      "company:view",
      "credit_consent:view",
      "credit_profile:view",
      "warehouse_receipt:view",
      "warehouse_receipt:approve",
      "loan:view",
      "loan:approve",
      "loan:reject",
      "loan:edit",
      "credit_limit:view",
      "credit_limit:edit",
    ],
    privileged: true,
  },
  risk_officer: {
    name: "风控 Risk officer",
    kinds: ["lender"],
    permissions: [
      "company:view",
      "credit_consent:view",
      "credit_profile:view",
      "warehouse_receipt:view",
      "audit_log:view",
      "loan:view",
      "credit_limit:view",
    ],
  },
  service_manager: {
    name: "服务经理 Service manager",
    kinds: ["service_provider"],
    permissions: [
      "company:view",
      "service_offering:view",
      "service_offering:create",
      "service_offering:edit",
      "service_offering:cancel",
      "service_booking:view",
      "service_booking:edit",
      "service_booking:cancel",
      "service_delivery:view",
      "service_delivery:edit",
      "service_settlement:view",
      "service_settlement:create",
      "service_commission:view",
    ],
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
