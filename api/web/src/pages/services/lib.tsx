import { Tag } from "antd";
import type { Answer } from "../../api/client";
import { useT, type MessageKey } from "../../i18n";

export type Course = Answer<"/api/v1/services/courses", "get">["courses"][number];
export type Session = Course["sessions"][number];
export type Enrolment = Answer<"/api/v1/services/enrolments", "get">["enrolments"][number];
export type Equipment = Answer<"/api/v1/services/equipment", "get">["equipment"][number];
export type Rental = Answer<"/api/v1/services/rentals", "get">["rentals"][number];
export type Settlements = Answer<"/api/v1/services/settlements", "get">;
export type Tariff = Answer<"/api/v1/services/delivery-tariffs", "get">["tariffs"][number];
export type Delivery = Answer<"/api/v1/services/deliveries", "get">["deliveries"][number];

const COLOR: Record<string, string> = {
  scheduled: "blue",
  completed: "green",
  cancelled: "default",
  enrolled: "blue",
  attended: "green",
  active: "blue",
  returned: "purple",
  settled: "green",
  available: "green",
  rented: "purple",
  retired: "default",
  requested: "blue",
  accepted: "cyan",
  picked_up: "purple",
  delivered: "green",
};

/** A status in words (services.status.*), coloured. */
export function StatusTag({ status }: { status: string }) {
  const t = useT();
  return <Tag color={COLOR[status] ?? "default"}>{t(`services.status.${status}` as MessageKey)}</Tag>;
}

/** Usage in words: minutes for time billing, meter units for meter billing. */
export function usageText(t: ReturnType<typeof useT>, r: Pick<Rental, "billing" | "usage">) {
  if (r.usage === null) return "—";
  return r.billing === "time" ? t("services.minutes", { n: r.usage }) : t("services.units", { n: r.usage });
}

/** A fresh Idempotency-Key for one user intent. */
export function newKey(prefix: string): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Whether a tariff's area (province, city or district codes) holds a region: the API's rule (service-money.ts
 * inArea), so the booking form offers only tariffs the API would accept for both ends of a shipment.
 */
export function inArea(areaCodes: readonly string[], regionCode: string): boolean {
  return areaCodes.some((a) =>
    regionCode.startsWith(a.endsWith("0000") ? a.slice(0, 2) : a.endsWith("00") ? a.slice(0, 4) : a),
  );
}
