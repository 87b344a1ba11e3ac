/**
 * 融资申请 (lender): applications from borrowers whose consent stands, and loans approved but not paid out. The credit
 * officer proposes terms, another person approves (the API refuses the proposer), a person other than the approver
 * records the disbursement. Buttons show by permission; the API decides.
 */
import { Button, Form, Input, InputNumber, Modal, Segmented, Select, Space, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can, useCurrent } from "../../app/session";
import { useT } from "../../i18n";
import { formatFen } from "../../widgets/format";
import { LoadError, useAction } from "../common/kit";
import { LoanTable, toFen, type Loan, type LoanStatus } from "../common/loans";

const QUEUES = ["applied", "proposed", "approved"] as const;
const key = () => `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export default function Applications() {
  const t = useT();
  const { me } = useCurrent();
  const [status, setStatus] = useState<(typeof QUEUES)[number]>("applied");
  const list = useApi(
    () =>
      answer<{ loans: Loan[] }>(
        api.GET("/api/v1/finance/loans", { params: { query: { as: "lender", status } } } as never),
      ),
    [status],
  );
  const { run, busy } = useAction();
  const [proposing, setProposing] = useState<Loan | null>(null);
  const [disbursing, setDisbursing] = useState<Loan | null>(null);
  const [terms] = Form.useForm();
  const [out] = Form.useForm();
  const post = (l: Loan, verb: string, body: unknown, headers?: Record<string, string>) =>
    answer(
      api.POST(
        `/api/v1/finance/loans/{id}/${verb}` as "/api/v1/finance/loans/{id}/approve",
        {
          params: { path: { id: l.id } },
          body,
          ...(headers ? { headers } : {}),
        } as never,
      ),
    );
  const step = async (id: string, call: () => Promise<unknown>, done: string, form?: typeof terms) => {
    const ok = await run(id, call, done, form);
    if (ok) {
      setProposing(null);
      setDisbursing(null);
      list.reload();
    }
  };
  const propose = async () => {
    if (!proposing) return;
    const v = (await terms.validateFields()) as {
      yuan: number;
      ratePct: number;
      overduePct: number;
      termDays: number;
      plan: Loan["plan"]["kind"];
      instalments: number;
    };
    const body = {
      amountFen: toFen(v.yuan),
      rateBp: Math.round(v.ratePct * 100),
      overdueBp: Math.round(v.overduePct * 100),
      termDays: v.termDays,
      plan: v.plan,
      instalments: v.instalments,
    };
    await step("propose", () => post(proposing, "propose", body), t("loan.proposed"), terms);
  };
  const disburse = async () => {
    if (!disbursing) return;
    const v = (await out.validateFields()) as { bankRef: string };
    await step(
      "disburse",
      () => post(disbursing, "disburse", { bankRef: v.bankRef }, { "Idempotency-Key": key() }),
      t("loan.disbursed"),
      out,
    );
  };
  const actions = (l: Loan) => {
    const can = (s: LoanStatus) => l.next.includes(s);
    return (
      <Space>
        {l.status === "applied" && (
          <Can perm="loan:submit">
            <Button
              size="small"
              type="primary"
              onClick={() => {
                setProposing(l);
                terms.setFieldsValue({
                  yuan: l.requestedFen / 100,
                  ratePct: 7.3,
                  overduePct: 3.65,
                  termDays: l.termDays,
                  plan: "bullet",
                  instalments: 1,
                });
              }}
            >
              {t("loan.propose")}
            </Button>
          </Can>
        )}
        {l.status === "proposed" && l.proposedBy !== me.id && (
          <Can perm="loan:approve">
            <Button
              size="small"
              type="primary"
              loading={busy === `approve-${l.id}`}
              onClick={() => void step(`approve-${l.id}`, () => post(l, "approve", {}), t("loan.approved"))}
            >
              {t("loan.approve")}
            </Button>
          </Can>
        )}
        {l.status === "approved" && l.approvedBy !== me.id && (
          <Can perm="loan:edit">
            <Button size="small" type="primary" onClick={() => setDisbursing(l)}>
              {t("loan.disburse")}
            </Button>
          </Can>
        )}
        {can("declined") && (
          <Can perm="loan:reject">
            <Button
              size="small"
              danger
              loading={busy === `decline-${l.id}`}
              onClick={() =>
                void step(
                  `decline-${l.id}`,
                  () => post(l, "decline", { reason: t("loan.decline.reason") }),
                  t("loan.declined"),
                )
              }
            >
              {t("loan.decline")}
            </Button>
          </Can>
        )}
      </Space>
    );
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("loan.lender.hint")}</Typography.Text>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={QUEUES.map((s) => ({ value: s, label: t(`loan.status.${s}`) }))}
      />
      {list.error && <LoadError state={list} />}
      <LoanTable
        loans={list.data?.loans ?? []}
        loading={list.loading}
        who="borrower"
        empty={t("loan.queue.empty")}
        actions={actions}
      />
      <Modal
        open={proposing !== null}
        title={t("loan.propose")}
        onOk={() => void propose()}
        confirmLoading={busy === "propose"}
        onCancel={() => setProposing(null)}
        destroyOnHidden
      >
        {proposing && (
          <Typography.Paragraph>
            {t("loan.propose.requested", {
              amount: formatFen(proposing.requestedFen),
              invoice: `${t(`loan.basis.${proposing.basis}`)} ${proposing.invoiceId ?? proposing.orderId}`,
            })}
          </Typography.Paragraph>
        )}
        <Form form={terms} layout="vertical">
          <Form.Item name="yuan" label={t("loan.amount")} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="ratePct" label={t("loan.ratePct")} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} precision={2} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="overduePct" label={t("loan.overduePct")} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} precision={2} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="termDays" label={t("loan.term")} rules={[{ required: true }]}>
            <InputNumber min={1} max={366} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="plan" label={t("loan.plan")} rules={[{ required: true }]}>
            <Select
              options={(["bullet", "equal_principal"] as const).map((k) => ({ value: k, label: t(`loan.plan.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="instalments" label={t("loan.instalments")} rules={[{ required: true }]}>
            <InputNumber min={1} max={36} style={{ width: "100%" }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={disbursing !== null}
        title={t("loan.disburse")}
        onOk={() => void disburse()}
        confirmLoading={busy === "disburse"}
        onCancel={() => setDisbursing(null)}
        destroyOnHidden
      >
        {disbursing && (
          <Typography.Paragraph>
            {t("loan.disburse.amount", { amount: formatFen(disbursing.amountFen ?? 0) })}
          </Typography.Paragraph>
        )}
        <Form form={out} layout="vertical">
          <Form.Item name="bankRef" label={t("loan.bankRef")} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
