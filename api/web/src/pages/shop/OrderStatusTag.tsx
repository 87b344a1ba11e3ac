import { Tag } from "antd";
import { useT } from "../../i18n";

export type OrderStatus =
  "placed" | "allocated" | "partially_fulfilled" | "picking" | "shipped" | "delivered" | "completed" | "cancelled";

const COLORS: Record<OrderStatus, string> = {
  placed: "blue",
  allocated: "blue",
  partially_fulfilled: "gold",
  picking: "cyan",
  shipped: "purple",
  delivered: "green",
  completed: "green",
  cancelled: "default",
};

/** An order's status in words (shop.orderStatus.*), coloured by how far it got. */
export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const t = useT();
  return <Tag color={COLORS[status]}>{t(`shop.orderStatus.${status}`)}</Tag>;
}
