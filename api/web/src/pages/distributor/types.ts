/** Answers these screens read, until the OpenAPI document declares them (Typed<> then takes the declared type). */
import type { Answer, Typed } from "../../api/client";

export interface CartonView {
  id: string;
  sscc: string | null;
  labelCode: string;
  from: { id: string; name: string };
  to: { id: string; name: string };
  locationId: string;
  partCount: number;
  status: "in_transit" | "received";
  createdAt: string;
  receivedAt: string | null;
}
export type CartonList = Typed<Answer<"/api/v1/dispatches", "get">, { dispatches: CartonView[] }>;
export type CartonDetail = Typed<
  Answer<"/api/v1/dispatches/{code}", "get">,
  CartonView & { parts: Array<{ gtin: string; serial: string }>; gtins: Array<{ gtin: string; count: number }> }
>;
export type Receivers = Typed<
  Answer<"/api/v1/companies/receivers", "get">,
  { companies: Array<{ id: string; name: string; kind: string; regionCode: string }> }
>;
export type HeldSerials = Typed<
  Answer<"/api/v1/inventory/serials", "get">,
  { skuId: number; serials: Array<{ gtin: string; serial: string }> }
>;

export interface StockRow {
  locationId: string;
  skuId: number;
  onHand: number;
  reserved: number;
  available: number;
  inTransit: number;
  reorderPoint: number;
  shared: boolean;
  priceFen: number | null;
}
export type StockList = Typed<Answer<"/api/v1/inventory/stock", "get">, { stock: StockRow[] }>;
export type Warehouses = Typed<
  Answer<"/api/v1/suppliers/locations", "get">,
  { locations: Array<{ id: string; code: string; name: string; shared: boolean }> }
>;

export interface OrderSummary {
  id: string;
  buyerId: string;
  status: string;
  urgent: boolean;
  totalFen: number;
  createdAt: string;
}
export type OrderList = Typed<Answer<"/api/v1/orders", "get">, { orders: OrderSummary[] }>;
export type OrderDetail = Typed<
  Answer<"/api/v1/orders/{id}", "get">,
  OrderSummary & {
    lines: Array<{
      lineNo: number;
      skuId: number;
      quantity: number;
      allocations: Array<{ sellerId: string; locationId: string; quantity: number; priceFen: number }>;
    }>;
  }
>;
