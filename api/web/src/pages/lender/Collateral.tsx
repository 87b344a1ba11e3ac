import { Alert, Statistic, Table, Tag } from "antd";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { ReceiptLines, STATUS_COLOR, lockedUnits, type Receipt } from "../distributor/WarehouseReceipts";

/**
 * 押品监控: the warehouse receipts pledged to my company and the units each still locks — live from the database's
 * locks, which nothing can move until the receipt is released. (Valuation at the pool price, loan-to-value and
 * margin calls are not built yet.)
 */
export default function Collateral() {
  const t = useT();
  const list = useApi(
    () =>
      answer<{ receipts: Receipt[] }>(
        api.GET("/api/v1/finance/warehouse-receipts", { params: { query: { status: "pledged" } } }),
      ),
    [],
  );
  const receipts = list.data?.receipts ?? [];
  return (
    <>
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Statistic title={t("collateral.units")} value={receipts.reduce((s, r) => s + lockedUnits(r), 0)} />
      <Table<Receipt>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={receipts}
        locale={{ emptyText: t("collateral.empty") }}
        scroll={{ x: true }}
        expandable={{ expandedRowRender: (r) => <ReceiptLines receipt={r} /> }}
        columns={[
          { title: t("receipts.id"), dataIndex: "id" },
          { title: t("collateral.borrower"), dataIndex: "companyId" },
          { title: t("receipts.warehouse"), dataIndex: "locationId" },
          {
            title: t("receipts.status"),
            dataIndex: "status",
            render: (s: Receipt["status"]) => <Tag color={STATUS_COLOR[s]}>{t(`receipts.status.${s}`)}</Tag>,
          },
          { title: t("receipts.locked"), key: "locked", align: "right", render: (_: unknown, r) => lockedUnits(r) },
          { title: t("receipts.digest"), dataIndex: "digest", render: (d: string) => <code>{d.slice(0, 16)}…</code> },
          { title: t("receipts.updated"), dataIndex: "updatedAt", render: (at: string) => <DateTime at={at} /> },
        ]}
      />
    </>
  );
}
