import { Alert, App, Button, Form, InputNumber, Modal, Space, Statistic, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
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
                <Button size="small" onClick={() => open(r)}>
                  {t("collateral.setTerms")}
                </Button>
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
    </Space>
  );
}
