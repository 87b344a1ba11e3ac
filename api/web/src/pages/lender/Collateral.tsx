import { Alert, App, Button, Form, Input, InputNumber, Modal, Space, Statistic, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can, useCurrent } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { SkuLabel } from "../../widgets/SkuLabel";

interface Valued {
  receiptId: string;
  borrowerId: string;
  lenderId: string;
  locationId: string;
  lines: Array<{ skuId: number; quantity: number; unitPriceFen: number | null }>;
  valueFen: number;
  unpricedUnits: number;
  ltvBp: number | null;
  requiredFen: number | null;
  marginCall: boolean;
  terms: { securedFen: number; maxLtvBp: number; updatedAt: string } | null;
  marginCallOpen: { id: string; openedAt: string; ltvBp: number | null } | null;
}

interface Call {
  id: string;
  receiptId: string;
  borrowerId: string;
  valueFen: number;
  securedFen: number;
  ltvBp: number | null;
  maxLtvBp: number;
  openedAt: string;
  closedAt: string | null;
  closedReason: string | null;
}

interface Enforcement {
  id: string;
  receiptId: string;
  borrowerId: string;
  nomineeId: string;
  nomineeLocationId: string;
  status: "proposed" | "confirmed" | "transferring" | "completed" | "cancelled";
  reason: string;
  undoUntil: string | null;
  undoable: boolean;
  completable: boolean;
  startedBy: string;
}

const ENFORCEMENT_COLOR: Record<Enforcement["status"], string> = {
  proposed: "gold",
  confirmed: "orange",
  transferring: "volcano",
  completed: "red",
  cancelled: "default",
};

const pct = (bp: number | null) => (bp === null ? "—" : `${(bp / 100).toFixed(2)} %`);

/**
 * 押品监控: the warehouse receipts pledged to my company, each one's locked units valued now at the pool price (the
 * median of other companies' shared offers), the loan-to-value against the terms the lender set, and the margin calls
 * opened when the value fell below what the loan needs (DECISIONS 110).
 */
export default function Collateral() {
  const t = useT();
  const { message } = App.useApp();
  const list = useApi(() => answer<{ collateral: Valued[] }>(api.GET("/api/v1/finance/collateral")), []);
  const calls = useApi(
    () => answer<{ marginCalls: Call[] }>(api.GET("/api/v1/finance/collateral/margin-calls", {})),
    [],
  );
  const enforcements = useApi(
    () => answer<{ enforcements: Enforcement[] }>(api.GET("/api/v1/finance/enforcements", {})),
    [],
  );
  const { me } = useCurrent();
  const [enforcing, setEnforcing] = useState<Valued | null>(null);
  const [enforceForm] = Form.useForm<{
    nomineeId: string;
    nomineeLocationId: string;
    reason: string;
    undoHours: number;
  }>();
  const [editing, setEditing] = useState<Valued | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ securedYuan: number; maxLtvPct: number }>();
  const rows = list.data?.collateral ?? [];

  const open = (r: Valued) => {
    form.setFieldsValue({
      securedYuan: r.terms ? r.terms.securedFen / 100 : Math.floor((r.valueFen * 0.6) / 100),
      maxLtvPct: r.terms ? r.terms.maxLtvBp / 100 : 70,
    });
    setEditing(r);
  };
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await answer(
        api.PUT("/api/v1/finance/collateral/{id}/terms", {
          params: { path: { id: editing!.receiptId } },
          body: { securedFen: Math.round(v.securedYuan * 100), maxLtvBp: Math.round(v.maxLtvPct * 100) },
        }),
      );
      message.success(t("collateral.saved"));
      setEditing(null);
      list.reload();
      calls.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };

  const startEnforcement = async () => {
    const v = await enforceForm.validateFields();
    setSaving(true);
    try {
      await answer(
        api.POST("/api/v1/finance/warehouse-receipts/{id}/enforcements", {
          params: { path: { id: enforcing!.receiptId } },
          body: v,
        }),
      );
      message.success(t("enforce.started"));
      setEnforcing(null);
      enforcements.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };
  const step = async (e: Enforcement, act: "confirm" | "cancel" | "complete") => {
    try {
      const path = { params: { path: { id: e.id } } };
      await answer(
        act === "confirm"
          ? api.POST("/api/v1/finance/enforcements/{id}/confirm", path)
          : act === "cancel"
            ? api.POST("/api/v1/finance/enforcements/{id}/cancel", path)
            : api.POST("/api/v1/finance/enforcements/{id}/complete", path),
      );
      message.success(t(`enforce.done.${act}`));
      enforcements.reload();
      list.reload();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };
  const live = new Set(
    (enforcements.data?.enforcements ?? [])
      .filter((e) => ["proposed", "confirmed", "transferring"].includes(e.status))
      .map((e) => e.receiptId),
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Typography.Text type="secondary">{t("collateral.hint")}</Typography.Text>
      <Space wrap size="large">
        <Statistic
          title={t("collateral.units")}
          value={rows.reduce((s, r) => s + r.lines.reduce((n, l) => n + l.quantity, 0), 0)}
        />
        <Statistic
          title={t("collateral.value")}
          value={rows.reduce((s, r) => s + r.valueFen, 0) / 100}
          precision={2}
          prefix="¥"
        />
        <Statistic title={t("collateral.calls")} value={rows.filter((r) => r.marginCallOpen).length} />
      </Space>
      <Table<Valued>
        rowKey="receiptId"
        size="small"
        loading={list.loading}
        dataSource={rows}
        locale={{ emptyText: t("collateral.empty") }}
        scroll={{ x: true }}
        expandable={{
          expandedRowRender: (r) => (
            <Table
              rowKey="skuId"
              size="small"
              pagination={false}
              dataSource={r.lines}
              columns={[
                { title: t("collateral.sku"), dataIndex: "skuId", render: (id: number) => <SkuLabel id={id} /> },
                { title: t("collateral.quantity"), dataIndex: "quantity", align: "right" },
                {
                  title: t("collateral.poolPrice"),
                  dataIndex: "unitPriceFen",
                  align: "right",
                  render: (f: number | null) => (f === null ? t("collateral.unpriced") : <Money fen={f} />),
                },
              ]}
            />
          ),
        }}
        columns={[
          { title: t("receipts.id"), dataIndex: "receiptId" },
          { title: t("collateral.borrower"), dataIndex: "borrowerId" },
          {
            title: t("collateral.value"),
            dataIndex: "valueFen",
            align: "right",
            render: (f: number) => <Money fen={f} />,
          },
          {
            title: t("collateral.secured"),
            key: "secured",
            align: "right",
            render: (_: unknown, r) => (r.terms ? <Money fen={r.terms.securedFen} /> : "—"),
          },
          {
            title: t("collateral.ltv"),
            key: "ltv",
            align: "right",
            render: (_: unknown, r) => (r.terms ? `${pct(r.ltvBp)} / ${pct(r.terms.maxLtvBp)}` : "—"),
          },
          {
            title: t("collateral.state"),
            key: "state",
            render: (_: unknown, r) =>
              !r.terms ? (
                <Tag>{t("collateral.noTerms")}</Tag>
              ) : r.marginCallOpen ? (
                <Tag color="red">{t("collateral.marginCall")}</Tag>
              ) : (
                <Tag color="green">{t("collateral.ok")}</Tag>
              ),
          },
          {
            title: t("collateral.required"),
            dataIndex: "requiredFen",
            align: "right",
            render: (f: number | null) => (f === null ? "—" : <Money fen={f} />),
          },
          {
            title: t("collateral.actions"),
            key: "actions",
            render: (_: unknown, r) => (
              <Can perm="warehouse_receipt:approve" kinds={["lender"]}>
                <Space size="small">
                  <Button size="small" onClick={() => open(r)}>
                    {t("collateral.setTerms")}
                  </Button>
                  {!live.has(r.receiptId) && (
                    <Button
                      size="small"
                      danger
                      onClick={() => {
                        enforceForm.resetFields();
                        setEnforcing(r);
                      }}
                    >
                      {t("enforce.start")}
                    </Button>
                  )}
                </Space>
              </Can>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t("enforce.title")}</Typography.Title>
      <Typography.Text type="secondary">{t("enforce.hint")}</Typography.Text>
      {enforcements.error && <Alert type="error" showIcon title={errorText(t, enforcements.error)} />}
      <Table<Enforcement>
        rowKey="id"
        size="small"
        loading={enforcements.loading}
        dataSource={enforcements.data?.enforcements ?? []}
        locale={{ emptyText: t("enforce.empty") }}
        scroll={{ x: true }}
        columns={[
          { title: t("receipts.id"), dataIndex: "receiptId" },
          { title: t("enforce.nominee"), dataIndex: "nomineeId" },
          { title: t("enforce.reason"), dataIndex: "reason" },
          {
            title: t("collateral.state"),
            dataIndex: "status",
            render: (st: Enforcement["status"]) => (
              <Tag color={ENFORCEMENT_COLOR[st]}>{t(`enforce.status.${st}` as never)}</Tag>
            ),
          },
          {
            title: t("enforce.undoUntil"),
            dataIndex: "undoUntil",
            render: (at: string | null) => (at ? <DateTime at={at} /> : "—"),
          },
          {
            title: t("collateral.actions"),
            key: "actions",
            render: (_: unknown, e) => (
              <Can perm="warehouse_receipt:approve" kinds={["lender"]}>
                <Space size="small">
                  {e.status === "proposed" && e.startedBy !== me.id && (
                    <Button size="small" type="primary" onClick={() => void step(e, "confirm")}>
                      {t("enforce.confirm")}
                    </Button>
                  )}
                  {e.undoable && (
                    <Button size="small" onClick={() => void step(e, "cancel")}>
                      {t("enforce.undo")}
                    </Button>
                  )}
                  {e.completable && (
                    <Button size="small" danger onClick={() => void step(e, "complete")}>
                      {t("enforce.complete")}
                    </Button>
                  )}
                </Space>
              </Can>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t("collateral.history")}</Typography.Title>
      <Table<Call>
        rowKey="id"
        size="small"
        loading={calls.loading}
        dataSource={calls.data?.marginCalls ?? []}
        locale={{ emptyText: t("collateral.noCalls") }}
        scroll={{ x: true }}
        columns={[
          { title: t("receipts.id"), dataIndex: "receiptId" },
          { title: t("collateral.openedAt"), dataIndex: "openedAt", render: (at: string) => <DateTime at={at} /> },
          {
            title: t("collateral.value"),
            dataIndex: "valueFen",
            align: "right",
            render: (f: number) => <Money fen={f} />,
          },
          {
            title: t("collateral.ltv"),
            key: "ltv",
            align: "right",
            render: (_: unknown, c) => `${pct(c.ltvBp)} / ${pct(c.maxLtvBp)}`,
          },
          {
            title: t("collateral.closedAt"),
            key: "closed",
            render: (_: unknown, c) =>
              c.closedAt ? (
                <>
                  <DateTime at={c.closedAt} /> · {t(`collateral.closed.${c.closedReason ?? "cured"}` as never)}
                </>
              ) : (
                <Tag color="red">{t("collateral.marginCall")}</Tag>
              ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t("collateral.setTerms")}
        okText={t("collateral.save")}
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="securedYuan"
            label={t("collateral.securedYuan")}
            rules={[{ required: true, type: "number", min: 0.01 }]}
          >
            <InputNumber style={{ width: "100%" }} min={0.01} precision={2} prefix="¥" />
          </Form.Item>
          <Form.Item
            name="maxLtvPct"
            label={t("collateral.maxLtv")}
            extra={t("collateral.maxLtvHint")}
            rules={[{ required: true, type: "number", min: 1, max: 100 }]}
          >
            <InputNumber style={{ width: "100%" }} min={1} max={100} precision={2} suffix="%" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={enforcing !== null}
        title={t("enforce.start")}
        okText={t("enforce.submit")}
        okButtonProps={{ danger: true }}
        confirmLoading={saving}
        onOk={() => void startEnforcement()}
        onCancel={() => setEnforcing(null)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t("enforce.twoPeople")}</Typography.Paragraph>
        <Form form={enforceForm} layout="vertical" initialValues={{ undoHours: 24 }}>
          <Form.Item
            name="nomineeId"
            label={t("enforce.nominee")}
            extra={t("enforce.nomineeHint")}
            rules={[{ required: true, pattern: /^c_[0-9a-f]{16}$/ }]}
          >
            <Input placeholder="c_…" />
          </Form.Item>
          <Form.Item name="nomineeLocationId" label={t("enforce.nomineeWarehouse")} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="reason" label={t("enforce.reason")} rules={[{ required: true, max: 500 }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item
            name="undoHours"
            label={t("enforce.undoHours")}
            rules={[{ required: true, type: "number", min: 1, max: 168 }]}
          >
            <InputNumber style={{ width: "100%" }} min={1} max={168} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
