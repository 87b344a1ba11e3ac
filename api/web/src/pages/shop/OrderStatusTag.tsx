import { ToneTag, type Tone } from "./Tone";
import { useT } from "../../i18n";

export type OrderStatus =
  "placed" | "allocated" | "partially_fulfilled" | "picking" | "shipped" | "delivered" | "completed" | "cancelled";

const COLORS: Record<OrderStatus, Tone> = {
  placed: "blue",
  allocated: "blue",
  partially_fulfilled: "gold",
  picking: "cyan",
  shipped: "purple",
  delivered: "green",
  completed: "green",
  cancelled: "grey",
};

/** An order's status in words (shop.orderStatus.*), coloured by how far it got. */
export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const t = useT();
  return <ToneTag tone={COLORS[status]}>{t(`shop.orderStatus.${status}`)}</ToneTag>;
}
