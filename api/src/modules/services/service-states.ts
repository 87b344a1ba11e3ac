/**
 * The services marketplace's lifecycles as declared tables (like orders' and returns'): each allowed change and the
 * sides that may make it. A session is scheduled, then completed (its enrolled seats become attended and are
 * settled) or cancelled (its enrolled seats are cancelled). A rental is active from its start (deposit held), returned
 * when stopped (usage and charge fixed) and settled by the provider (claims, commission, refund).
 */
export type ServiceSide = "shop" | "provider" | "customer";

export const SESSION_STATUSES = ["scheduled", "completed", "cancelled"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const SESSION_TRANSITIONS: Record<SessionStatus, Partial<Record<SessionStatus, readonly ServiceSide[]>>> = {
  scheduled: { completed: ["provider"], cancelled: ["provider"] },
  completed: {},
  cancelled: {},
};

export const ENROLMENT_STATUSES = ["enrolled", "cancelled", "attended"] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export const ENROLMENT_TRANSITIONS: Record<
  EnrolmentStatus,
  Partial<Record<EnrolmentStatus, readonly ServiceSide[]>>
> = {
  enrolled: { cancelled: ["shop", "provider"], attended: ["provider"] },
  cancelled: {},
  attended: {},
};

export const RENTAL_STATUSES = ["active", "returned", "settled"] as const;
export type RentalStatus = (typeof RENTAL_STATUSES)[number];
export const RENTAL_TRANSITIONS: Record<RentalStatus, Partial<Record<RentalStatus, readonly ServiceSide[]>>> = {
  active: { returned: ["shop", "provider"] },
  returned: { settled: ["provider"] },
  settled: {},
};

/**
 * A delivery (同城配送, DECISIONS 115) is requested by its customer — the order's buyer or the seller whose warehouse
 * ships — accepted, picked up and delivered by the provider; delivering settles it. Either side may cancel it until
 * it is picked up.
 */
export const DELIVERY_STATUSES = ["requested", "accepted", "picked_up", "delivered", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_TRANSITIONS: Record<DeliveryStatus, Partial<Record<DeliveryStatus, readonly ServiceSide[]>>> = {
  requested: { accepted: ["provider"], cancelled: ["customer", "provider"] },
  accepted: { picked_up: ["provider"], cancelled: ["customer", "provider"] },
  picked_up: { delivered: ["provider"] },
  delivered: {},
  cancelled: {},
};

type Table<S extends string> = Record<S, Partial<Record<S, readonly ServiceSide[]>>>;

/** Who may make the change `from` → `to` in `table` (empty when the table has no such change). */
export const sidesOf = <S extends string>(table: Table<S>, from: S, to: S): readonly ServiceSide[] =>
  table[from][to] ?? [];

export const SERVICE_CATEGORIES = ["training", "equipment_rental", "logistics"] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
export const EQUIPMENT_KINDS = ["lift", "diagnostic_tool", "other"] as const;
export const BILLING_MODES = ["time", "meter"] as const;
export type BillingMode = (typeof BILLING_MODES)[number];
