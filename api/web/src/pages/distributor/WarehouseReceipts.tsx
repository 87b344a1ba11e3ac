import { Alert, Table, Tag } from "antd";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";

export interface Receipt {
  id: string;
  companyId: string;
  locationId: string;
  status: "issued" | "pledged" | "released" | "cancelled" | "enforcing" | "enforced";
  lenderId: string | null;
  version: number;
  digest: string;
  lines: Array<{ skuId: number; issued: number; quantity: number }>;
  parts: Array<{ gtin: string; serial: string; skuId: number; released: boolean }>;
  updatedAt: string;
}

export const STATUS_COLOR: Record<Receipt["status"], string> = {
  issued: "#0958d9",
  pledged: "#ad4e00",
  released: "#135200",
  cancelled: "#595959",
  enforcing: "#a8071a",
  enforced: "#820014",
};

export const lockedUnits = (r: Receipt) => r.lines.reduce((s, l) => s + l.quantity, 0);

/** The locks a receipt holds, per SKU, with its live serials (shared by the warehouse and the lender screens). */
export function ReceiptLines({ receipt }: { receipt: Receipt }) {
  const t = useT();
  return (
    <Table
      rowKey="skuId"
      size="small"
      pagination={false}
      dataSource={receipt.lines}
      columns={[
        { title: t("receipts.sku"), dataIndex: "skuId" },
        { title: t("receipts.issued"), dataIndex: "issued", align: "right" },
        { title: t("receipts.locked"), dataIndex: "quantity", align: "right" },
        {
          title: t("receipts.serials"),
          key: "serials",
          render: (_: unknown, l: { skuId: number }) =>
            receipt.parts
              .filter((p) => p.skuId === l.skuId && !p.released)
              .map((p) => p.serial)
              .join(", "),
        },
      ]}
    />
  );
}

/** 仓单与锁定: my warehouse receipts (GET /finance/warehouse-receipts), what each locks, to whom it is pledged. */
export default function WarehouseReceipts() {
  const t = useT();
  const list = useApi(
    () => answer<{ receipts: Receipt[] }>(api.GET("/api/v1/finance/warehouse-receipts", { params: { query: {} } })),
    [],
  );
  return (
    <>
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Table<Receipt>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.receipts ?? []}
        locale={{ emptyText: t("receipts.empty") }}
        scroll={{ x: true }}
        expandable={{ expandedRowRender: (r) => <ReceiptLines receipt={r} /> }}
        columns={[
          { title: t("receipts.id"), dataIndex: "id" },
          { title: t("receipts.warehouse"), dataIndex: "locationId" },
          {
            title: t("receipts.status"),
            dataIndex: "status",
            render: (s: Receipt["status"]) => <Tag color={STATUS_COLOR[s]}>{t(`receipts.status.${s}`)}</Tag>,
          },
          { title: t("receipts.lender"), dataIndex: "lenderId", render: (l: string | null) => l ?? "—" },
          { title: t("receipts.locked"), key: "locked", align: "right", render: (_: unknown, r) => lockedUnits(r) },
          { title: t("receipts.version"), dataIndex: "version", align: "right" },
          { title: t("receipts.updated"), dataIndex: "updatedAt", render: (at: string) => <DateTime at={at} /> },
        ]}
      />
    </>
  );
}
