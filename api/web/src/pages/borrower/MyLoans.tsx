/**
 * 我的融资 (borrower): my order loans, applying for one to a lender I consented to — against an open invoice of a
 * delivered order, or (DECISIONS 116) a confirmed order not yet invoiced: mine as its seller, or my purchase order —
 * seeing each loan's repayment schedule (expand a row), repaying (in part), withdrawing before the money moved. The API
 * decides; buttons show by permission.
 */
import { Button, Form, Input, InputNumber, Modal, Segmented, Select, Space, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can, useCurrent, usePermissions } from "../../app/session";
import { useT } from "../../i18n";
import { formatFen } from "../../widgets/format";
import { LoadError, useAction } from "../common/kit";
import { LoanTable, toFen, type Loan } from "../common/loans";

interface Invoice {
  id: string;
  source: "order" | "service" | "commission";
  sellerId: string | null;
  buyerId: string;
  totalFen: number;
  paidFen: number;
}
interface Order {
  id: string;
  buyerId: string;
  status: string;
  totalFen: number;
}
/** Orders a loan may be applied on before their invoice (the API judges the rest). */
const CONFIRMED = ["allocated", "partially_fulfilled", "picking", "shipped", "delivered", "completed"];
type Basis = "invoice" | "order";
interface Consent {
  lenderId: string;
  live: boolean;
}

const key = () => `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export default function MyLoans() {
  const t = useT();
  const { has } = usePermissions();
  const { me } = useCurrent();
  const [basis, setBasis] = useState<Basis>("invoice");
  const list = useApi(
    () =>
      answer<{ loans: Loan[] }>(api.GET("/api/v1/finance/loans", { params: { query: { as: "borrower" } } } as never)),
    [],
  );
  const { run, busy } = useAction();
  const [applying, setApplying] = useState(false);
  const [repaying, setRepaying] = useState<Loan | null>(null);
  const [applyForm] = Form.useForm();
  const [repayForm] = Form.useForm();
  const choices = useApi(async () => {
    if (!applying) return { invoices: [] as Invoice[], orders: [] as Order[], lenders: [] as string[] };
    const side = async (s: string) =>
      has("invoice:view")
        ? (
            await answer<{ invoices: Invoice[] }>(
              api.GET("/api/v1/finance/invoices", { params: { query: { side: s, open: "true" } } } as never),
            )
          ).invoices
        : [];
    const orders = async () =>
      has("order:view")
        ? (await answer<{ orders: Order[] }>(api.GET("/api/v1/orders" as never))).orders.filter((o) =>
            CONFIRMED.includes(o.status),
          )
        : [];
    const [rec, pay, os, consents] = await Promise.all([
      side("receivable"),
      side("payable"),
      orders(),
      answer<{ consents: Consent[] }>(api.GET("/api/v1/finance/consents" as never)),
    ]);
    return {
      // Order loans finance order invoices only; service and commission invoices are refused (DECISIONS 114).
      invoices: [...rec, ...pay].filter((i) => i.source === "order"),
      orders: os,
      lenders: [...new Set(consents.consents.filter((c) => c.live).map((c) => c.lenderId))],
    };
  }, [applying]);

  const apply = async () => {
    const v = (await applyForm.validateFields()) as {
      invoiceId?: string;
      orderId?: string;
      lenderId: string;
      yuan: number;
      termDays: number;
    };
    const body = {
      ...(basis === "invoice" ? { invoiceId: v.invoiceId } : { orderId: v.orderId }),
      lenderId: v.lenderId,
      requestedFen: toFen(v.yuan),
      termDays: v.termDays,
    };
    const ok = await run(
      "apply",
      () => answer(api.POST("/api/v1/finance/loans", { body, headers: { "Idempotency-Key": key() } } as never)),
      t("loan.applied"),
      applyForm,
    );
    if (ok) {
      setApplying(false);
      list.reload();
    }
  };
  const repay = async () => {
    if (!repaying) return;
    const v = (await repayForm.validateFields()) as { yuan: number; bankRef: string };
    const ok = await run(
      "repay",
      () =>
        answer(
          api.POST("/api/v1/finance/loans/{id}/repayments", {
            params: { path: { id: repaying.id } },
            body: { amountFen: toFen(v.yuan), bankRef: v.bankRef },
            headers: { "Idempotency-Key": key() },
          } as never),
        ),
      t("loan.repaid.done"),
      repayForm,
    );
    if (ok) {
      setRepaying(null);
      list.reload();
    }
  };
  const withdraw = (l: Loan) =>
    run(
      `withdraw-${l.id}`,
      () =>
        answer(
          api.POST("/api/v1/finance/loans/{id}/withdraw", {
            params: { path: { id: l.id } },
            body: { reason: t("loan.withdraw.reason") },
          } as never),
        ),
      t("loan.withdrawn"),
    ).then(() => list.reload());

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("loan.borrower.hint")}</Typography.Text>
      <Can perm="loan:create">
        <Button type="primary" onClick={() => setApplying(true)}>
          {t("loan.apply")}
        </Button>
      </Can>
      {list.error && <LoadError state={list} />}
      <LoanTable
        loans={list.data?.loans ?? []}
        loading={list.loading}
        who="lender"
        empty={t("loan.empty")}
        actions={(l) => (
          <Space>
            {(l.status === "disbursed" || l.status === "overdue") && (
              <Can perm="loan:edit">
                <Button
                  size="small"
                  type="primary"
                  onClick={() => {
                    setRepaying(l);
                    repayForm.setFieldsValue({ yuan: l.today.payoffFen / 100, bankRef: "" });
                  }}
                >
                  {t("loan.repay")}
                </Button>
              </Can>
            )}
            {l.next.includes("withdrawn") && (
              <Can perm="loan:cancel">
                <Button size="small" loading={busy === `withdraw-${l.id}`} onClick={() => void withdraw(l)}>
                  {t("loan.withdraw")}
                </Button>
              </Can>
            )}
          </Space>
        )}
      />
      <Modal
        open={applying}
        title={t("loan.apply")}
        okText={t("loan.apply.submit")}
        onOk={() => void apply()}
        confirmLoading={busy === "apply"}
        onCancel={() => setApplying(false)}
        destroyOnHidden
      >
        <Form form={applyForm} layout="vertical" initialValues={{ termDays: 90 }}>
          <Form.Item label={t("loan.basis")} extra={t(`loan.basis.${basis}.hint`)}>
            <Segmented
              value={basis}
              onChange={(v) => setBasis(v as Basis)}
              options={(["invoice", "order"] as const).map((b) => ({ value: b, label: t(`loan.apply.on.${b}`) }))}
            />
          </Form.Item>
          {basis === "invoice" ? (
            <Form.Item name="invoiceId" label={t("loan.invoice")} rules={[{ required: true }]}>
              <Select
                loading={choices.loading}
                options={(choices.data?.invoices ?? []).map((i) => ({
                  value: i.id,
                  label: `${i.id} · ${formatFen(i.totalFen - i.paidFen)}`,
                }))}
              />
            </Form.Item>
          ) : (
            <Form.Item name="orderId" label={t("loan.order")} rules={[{ required: true }]}>
              <Select
                loading={choices.loading}
                options={(choices.data?.orders ?? []).map((o) => ({
                  value: o.id,
                  label: `${o.id} · ${t(o.buyerId === me.companyId ? "loan.basis.purchase_order" : "loan.basis.order")} · ${formatFen(o.totalFen)}`,
                }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="lenderId"
            label={t("loan.lender")}
            rules={[{ required: true }]}
            extra={t("loan.lender.hint")}
          >
            <Select options={(choices.data?.lenders ?? []).map((id) => ({ value: id, label: id }))} />
          </Form.Item>
          <Form.Item name="yuan" label={t("loan.requested")} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="termDays" label={t("loan.term")} rules={[{ required: true }]}>
            <InputNumber min={1} max={366} style={{ width: "100%" }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={repaying !== null}
        title={t("loan.repay")}
        onOk={() => void repay()}
        confirmLoading={busy === "repay"}
        onCancel={() => setRepaying(null)}
        destroyOnHidden
      >
        {repaying && (
          <Typography.Paragraph>
            {t("loan.repay.owed", { owed: formatFen(repaying.today.payoffFen), date: repaying.today.date })}
          </Typography.Paragraph>
        )}
        <Form form={repayForm} layout="vertical">
          <Form.Item name="yuan" label={t("loan.repay.amount")} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="bankRef" label={t("loan.bankRef")} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
