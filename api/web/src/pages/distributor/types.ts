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
