/**
 * The order lifecycle as a declared table: each allowed change and which side makes it. `system` changes happen
 * when the order is placed (allocation); a seller is a company with stock allocated to the order; the buyer placed it.
 */
export const ORDER_STATUSES = [
  "placed",
  "allocated",
  "partially_fulfilled",
  "picking",
  "shipped",
  "delivered",
  "completed",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type Side = "system" | "buyer" | "seller";

export const ORDER_TRANSITIONS: Record<OrderStatus, Partial<Record<OrderStatus, Side>>> = {
  placed: { allocated: "system", partially_fulfilled: "system", cancelled: "system" },
  allocated: { picking: "seller", cancelled: "buyer" },
  partially_fulfilled: { picking: "seller", cancelled: "buyer" },
  picking: { shipped: "seller", cancelled: "seller" },
  shipped: { delivered: "buyer" },
  delivered: { completed: "buyer" },
  completed: {},
  cancelled: {},
};

/** Who may move an order from `from` to `to`, or null when the table has no such change. */
export const sideFor = (from: OrderStatus, to: OrderStatus): Side | null => ORDER_TRANSITIONS[from][to] ?? null;
