import { Alert, App, Button, Checkbox, Form, InputNumber, Modal, Space, Switch, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can, usePermissions } from "../../app/session";
import { useT } from "../../i18n";
import { Money } from "../../widgets/Money";
import type { StockList, StockRow, Warehouses } from "./types";
import { SkuLabel } from "../../widgets/SkuLabel";

/**
 * Stock by warehouse (GET /inventory/stock): on hand, reserved, available, in transit; which warehouses and SKUs join
 * the shared pool, at what price (PATCH /inventory/warehouses/{id}, PATCH /inventory/stock).
 */
export default function Stock() {
  const t = useT();
  const { message } = App.useApp();
  const { has } = usePermissions();
  const stock = useApi(() => answer<StockList>(api.GET("/api/v1/inventory/stock")), []);
  const warehouses = useApi(
    () =>
      has("offer:view")
        ? answer<Warehouses>(api.GET("/api/v1/suppliers/locations"))
        : Promise.resolve({ locations: [] } as unknown as Warehouses),
    [],
  );
  const names = useMemo(
    () => new Map((warehouses.data?.locations ?? []).map((w) => [w.id, `${w.name} (${w.code})`])),
    [warehouses.data],
  );
  const [editing, setEditing] = useState<StockRow>();
  const shareWarehouse = async (id: string, shared: boolean) => {
    try {
      await api.PATCH("/api/v1/inventory/warehouses/{id}", { params: { path: { id } }, body: { shared } } as never);
      message.success(t("stock.saved"));
      warehouses.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Can perm="inventory:configure">
        <Space wrap>
          {(warehouses.data?.locations ?? []).map((w) => (
            <label key={w.id} style={{ display: "inline-flex", gap: 8, alignItems: "center" }}>
              <Switch checked={w.shared} onChange={(v) => shareWarehouse(w.id, v)} />
              {t("stock.warehouseShared", { name: w.name })}
            </label>
          ))}
        </Space>
      </Can>
      {stock.error && <Alert type="error" showIcon title={errorText(t, stock.error)} />}
      <Table<StockRow>
        rowKey={(r) => `${r.locationId}/${r.skuId}`}
        size="small"
        loading={stock.loading}
        dataSource={stock.data?.stock ?? []}
        locale={{ emptyText: t("stock.empty") }}
        scroll={{ x: true }}
        data-testid="stock"
        columns={[
          { title: t("stock.warehouse"), key: "w", render: (_, r) => names.get(r.locationId) ?? r.locationId },
          { title: t("stock.sku"), key: "sku", render: (_, r) => <SkuLabel id={r.skuId} /> },
          { title: t("stock.onHand"), dataIndex: "onHand", align: "right" },
          { title: t("stock.reserved"), dataIndex: "reserved", align: "right" },
          { title: t("stock.available"), dataIndex: "available", align: "right" },
          { title: t("stock.inTransit"), dataIndex: "inTransit", align: "right" },
          {
            title: t("stock.shared"),
            key: "shared",
            render: (_, r) =>
              r.shared ? <Tag color="#135200">✓</Tag> : <Typography.Text type="secondary">—</Typography.Text>,
          },
          { title: t("stock.price"), key: "price", align: "right", render: (_, r) => <Money fen={r.priceFen} /> },
          ...(has("inventory:configure")
            ? [
                {
                  title: t("stock.edit"),
                  key: "edit",
                  render: (_: unknown, r: StockRow) => (
                    <Button size="small" onClick={() => setEditing(r)}>
                      {t("stock.edit")}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <PoolSettings
          row={editing}
          warehouse={names.get(editing.locationId) ?? editing.locationId}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            message.success(t("stock.saved"));
            stock.reload();
          }}
        />
      )}
    </Space>
  );
}

function PoolSettings({
  row,
  warehouse,
  onClose,
  onSaved,
}: {
  row: StockRow;
  warehouse: string;
  onClose(): void;
  onSaved(): void;
}) {
  const t = useT();
  const [shared, setShared] = useState(row.shared || row.priceFen === null);
  const [price, setPrice] = useState<number | null>(row.priceFen === null ? null : row.priceFen / 100);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await api.PATCH("/api/v1/inventory/stock", {
        body: { locationId: row.locationId, skuId: row.skuId, shared, price: price ?? null },
      } as never);
      onSaved();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("stock.edit.title", { sku: row.skuId, warehouse })}
      onCancel={onClose}
      onOk={save}
      okText={t("stock.save")}
      confirmLoading={busy}
    >
      <Form layout="vertical">
        <Form.Item label={t("stock.price")} htmlFor="pool-price">
          <InputNumber
            id="pool-price"
            min={0.01}
            step={0.01}
            precision={2}
            prefix="¥"
            value={price}
            onChange={setPrice}
          />
        </Form.Item>
        <Checkbox checked={shared} onChange={(e) => setShared(e.target.checked)}>
          {t("stock.shared")}
        </Checkbox>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
