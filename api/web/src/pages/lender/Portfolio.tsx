/**
 * 贷款组合 (lender): loans paid out — live, overdue, closed — with what is owed today, and each borrower's credit
 * limit with what it has drawn; an approver sets a limit (borrowers that consented only).
 */
import { Button, Form, Input, InputNumber, Modal, Segmented, Space, Statistic, Table, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can, usePermissions } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { formatFen } from "../../widgets/format";
import { LoadError, useAction } from "../common/kit";
import { LoanTable, toFen, type Loan } from "../common/loans";

interface Limit {
  borrowerId: string;
  limitFen: number;
  usedFen: number;
  availableFen: number;
  setAt: string;
}
const BOOKS = ["disbursed", "overdue", "closed"] as const;

export default function Portfolio() {
  const t = useT();
  const [status, setStatus] = useState<(typeof BOOKS)[number]>("disbursed");
  const list = useApi(
    () =>
      answer<{ loans: Loan[] }>(
        api.GET("/api/v1/finance/loans", { params: { query: { as: "lender", status } } } as never),
      ),
    [status],
  );
  const { has } = usePermissions();
  const seesLimits = has("credit_limit:view");
  const limits = useApi(
    () =>
      seesLimits
        ? answer<{ limits: Limit[] }>(api.GET("/api/v1/finance/credit-limits" as never))
        : Promise.resolve({ limits: [] as Limit[] }),
    [seesLimits],
  );
  const { run, busy } = useAction();
  const [editing, setEditing] = useState<string | null>(null);
  const [form] = Form.useForm();
  const loans = list.data?.loans ?? [];
  const save = async () => {
    if (!editing) return;
    const v = (await form.validateFields()) as { borrowerId?: string; yuan: number };
    const borrowerId = editing === "new" ? (v.borrowerId ?? "") : editing;
    const ok = await run(
      "limit",
      () =>
        answer(
          api.PUT("/api/v1/finance/credit-limits/{borrowerId}", {
            params: { path: { borrowerId } },
            body: { limitFen: toFen(v.yuan) },
          } as never),
        ),
      t("limit.saved"),
      form,
    );
    if (ok) {
      setEditing(null);
      limits.reload();
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={BOOKS.map((s) => ({ value: s, label: t(`loan.status.${s}`) }))}
      />
      <Space size="large" wrap>
        <Statistic
          title={t("portfolio.principal")}
          value={formatFen(loans.reduce((s, l) => s + l.today.principalFen, 0))}
        />
        <Statistic title={t("portfolio.owed")} value={formatFen(loans.reduce((s, l) => s + l.today.payoffFen, 0))} />
        <Statistic title={t("portfolio.count")} value={loans.length} />
      </Space>
      {list.error && <LoadError state={list} />}
      <LoanTable loans={loans} loading={list.loading} who="borrower" empty={t("portfolio.empty")} />
      {seesLimits && <Typography.Title level={5}>{t("limit.title")}</Typography.Title>}
      <Can perm="credit_limit:edit">
        <Button
          onClick={() => {
            setEditing("new");
            form.resetFields();
          }}
        >
          {t("limit.add")}
        </Button>
      </Can>
      {limits.error && <LoadError state={limits} />}
      {seesLimits && (
        <Table<Limit>
          rowKey="borrowerId"
          size="small"
          loading={limits.loading}
          dataSource={limits.data?.limits ?? []}
          locale={{ emptyText: t("limit.empty") }}
          scroll={{ x: true }}
          columns={[
            { title: t("loan.borrower"), dataIndex: "borrowerId" },
            {
              title: t("limit.limit"),
              dataIndex: "limitFen",
              align: "right",
              render: (f: number) => <Money fen={f} />,
            },
            { title: t("limit.used"), dataIndex: "usedFen", align: "right", render: (f: number) => <Money fen={f} /> },
            {
              title: t("limit.available"),
              dataIndex: "availableFen",
              align: "right",
              render: (f: number) => <Money fen={f} />,
            },
            { title: t("limit.setAt"), dataIndex: "setAt", render: (at: string) => <DateTime at={at} /> },
            {
              title: "",
              key: "act",
              render: (_: unknown, l) => (
                <Can perm="credit_limit:edit">
                  <Button
                    size="small"
                    onClick={() => {
                      setEditing(l.borrowerId);
                      form.setFieldsValue({ yuan: l.limitFen / 100 });
                    }}
                  >
                    {t("limit.edit")}
                  </Button>
                </Can>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={editing !== null}
        title={t("limit.title")}
        onOk={() => void save()}
        confirmLoading={busy === "limit"}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          {editing === "new" && (
            <Form.Item name="borrowerId" label={t("loan.borrower")} rules={[{ required: true }]}>
              <Input placeholder="c_…" maxLength={18} />
            </Form.Item>
          )}
          <Form.Item name="yuan" label={t("limit.limit")} rules={[{ required: true }]}>
            <InputNumber min={0} precision={2} style={{ width: "100%" }} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
