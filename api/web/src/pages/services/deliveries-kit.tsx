/** What both sides of a delivery see: its table (ends, distance, weight, charge, state) and its settlement. */
import { Flex, Table } from "antd";
import type { ReactNode } from "react";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { StatusTag, type Delivery } from "./lib";

export const km = (m: number) => (m / 1000).toFixed(1);
export const kg = (g: number) => String(g / 1000);

export function DeliveriesTable({
  rows,
  loading,
  action,
  testId,
}: {
  rows: Delivery[];
  loading: boolean;
  action(d: Delivery): ReactNode;
  testId: string;
}) {
  const t = useT();
  return (
    <Table<Delivery>
      data-testid={testId}
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: t("delivery.noDeliveries") }}
      scroll={{ x: "max-content" }}
      expandable={{
        rowExpandable: (d) => !!d.settlement,
        expandedRowRender: (d) =>
          d.settlement && (
            <Flex gap={8} wrap data-testid="delivery-settlement">
              <span>{t("services.settlementLine", { rate: (d.settlement.commissionRateBp / 100).toFixed(2) })}</span>
              {(
                [
                  ["services.gross", d.settlement.grossFen],
                  ["services.commission", d.settlement.commissionFen],
                  ["services.net", d.settlement.netFen],
                ] as const
              ).map(([k, fen]) => (
                <span key={k}>
                  {t(k)} <Money fen={fen} />
                </span>
              ))}
            </Flex>
          ),
      }}
      columns={[
        { title: t("delivery.order"), dataIndex: "orderId" },
        { title: t("delivery.customer"), dataIndex: "customerName" },
        { title: t("services.provider"), dataIndex: "providerName" },
        { title: t("delivery.pickup"), dataIndex: "pickupName" },
        { title: t("delivery.drop"), dataIndex: "dropName" },
        { title: t("delivery.distance"), render: (_, d) => t("delivery.km", { km: km(d.distanceM) }) },
        { title: t("delivery.weight"), render: (_, d) => t("delivery.kg", { kg: kg(d.weightG) }) },
        { title: t("delivery.charge"), render: (_, d) => <Money fen={d.chargeFen} /> },
        { title: t("services.state"), render: (_, d) => <StatusTag status={d.status} /> },
        { title: t("services.updatedAt"), render: (_, d) => <DateTime at={d.updatedAt} /> },
        { title: "", render: (_, d) => action(d) },
      ]}
    />
  );
}
