import { Alert, App, Button, Space, Table, Tag, Typography } from "antd";
import { useMemo } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can, useCurrent, usePermissions } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import type { Warehouses } from "./types";

interface Transfer {
  id: string;
  skuId: number;
  fromLocation: string;
  toLocation: string;
  quantity: number;
  status: "proposed" | "in_transit" | "received" | "rejected";
  proposedBy: string | null;
  createdAt: string;
}
const COLOR: Record<Transfer["status"], string> = {
  proposed: "#874d00",
  in_transit: "#003eb3",
  received: "#135200",
  rejected: "#820014",
};

/**
 * Transfers between my warehouses (GET /inventory/transfers): a second person approves or rejects a proposal (the
 * API refuses its proposer), the receiving warehouse receives it.
 */
export default function Transfers() {
  const t = useT();
  const { me } = useCurrent();
  const { message } = App.useApp();
  const { has } = usePermissions();
  const list = useApi(() => answer<{ transfers: Transfer[] }>(api.GET("/api/v1/inventory/transfers")), []);
  const warehouses = useApi(
    () =>
      has("offer:view")
        ? answer<Warehouses>(api.GET("/api/v1/suppliers/locations"))
        : Promise.resolve({ locations: [] } as unknown as Warehouses),
    [],
  );
  const names = useMemo(
    () => new Map((warehouses.data?.locations ?? []).map((w) => [w.id, w.name])),
    [warehouses.data],
  );
  const act = async (id: string, step: "approve" | "reject" | "receive") => {
    try {
      if (step === "receive")
        await api.POST("/api/v1/inventory/transfers/{id}/receive", { params: { path: { id } } } as never);
      else
        await api.POST("/api/v1/inventory/transfers/{id}/{decision}", {
          params: { path: { id, decision: step } },
          body: {},
        } as never);
      list.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("transfer.selfHint")}</Typography.Text>
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Table<Transfer>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.transfers ?? []}
        locale={{ emptyText: t("transfer.empty") }}
        scroll={{ x: true }}
        columns={[
          { title: t("transfer.sku"), dataIndex: "skuId" },
          { title: t("transfer.from"), dataIndex: "fromLocation", render: (l: string) => names.get(l) ?? l },
          { title: t("transfer.to"), dataIndex: "toLocation", render: (l: string) => names.get(l) ?? l },
          { title: t("transfer.quantity"), dataIndex: "quantity", align: "right" },
          {
            title: t("transfer.status"),
            dataIndex: "status",
            render: (s: Transfer["status"]) => <Tag color={COLOR[s]}>{t(`transfer.status.${s}`)}</Tag>,
          },
          { title: t("transfer.createdAt"), dataIndex: "createdAt", render: (at: string) => <DateTime at={at} /> },
          {
            title: "",
            key: "act",
            render: (_, r) =>
              r.status === "proposed" && r.proposedBy !== me.id ? (
                <Can perm="inventory:approve">
                  <Space>
                    <Button size="small" type="primary" onClick={() => act(r.id, "approve")}>
                      {t("transfer.approve")}
                    </Button>
                    <Button size="small" danger onClick={() => act(r.id, "reject")}>
                      {t("transfer.reject")}
                    </Button>
                  </Space>
                </Can>
              ) : r.status === "in_transit" ? (
                <Can perm="inventory:edit">
                  <Button size="small" onClick={() => act(r.id, "receive")}>
                    {t("transfer.receive")}
                  </Button>
                </Can>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}
