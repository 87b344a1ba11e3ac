/**
 * Order loans (DECISIONS 105, 106, 116): the loan, its status tag, its table and its repayment schedule — shared by
 * borrower and lender screens.
 */
import { Space, Table, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { useT } from "../../i18n";
import { Money } from "../../widgets/Money";

export type LoanStatus =
  "applied" | "proposed" | "approved" | "declined" | "withdrawn" | "disbursed" | "overdue" | "closed";

export interface Loan {
  id: string;
  borrowerId: string;
  lenderId: string;
  invoiceId: string | null;
  /** An invoice, a seller's confirmed order, or a buyer's purchase order (DECISIONS 116). */
  basis: "invoice" | "order" | "purchase_order";
  orderId: string;
  counterpartyId: string;
  side: "receivable" | "payable";
  status: LoanStatus;
  requestedFen: number;
  amountFen: number | null;
  rateBp: number | null;
  overdueBp: number | null;
  termDays: number;
  proposedBy: string | null;
  approvedBy: string | null;
  disbursedOn: string | null;
  dueDate: string | null;
  principalFen: number;
  interestFen: number;
  repaidFen: number;
  today: { date: string; principalFen: number; interestFen: number; payoffFen: number };
  plan: { kind: "bullet" | "equal_principal"; instalments: number };
  nextDueDate: string | null;
  calledOn: string | null;
  calledReason: string | null;
  /** The instalments: principal and the interest a payment on each date pays (a preview before disbursement). */
  schedule: Instalment[];
  schedulePreview: boolean;
  order: { status: string; valueFen: number };
  next: LoanStatus[];
}

export interface Instalment {
  no: number;
  dueDate: string;
  principalFen: number;
  interestFen: number;
  totalFen: number;
  paidPrincipalFen: number;
  status: "paid" | "overdue" | "due" | "scheduled";
  overdueInterestFen: number;
}

const INSTALMENT_COLOR: Record<Instalment["status"], string> = {
  paid: "#135200",
  overdue: "#a8071a",
  due: "#ad4e00",
  scheduled: "#0958d9",
};

/** A loan's repayment schedule: each instalment's date, principal, interest and total, and how it stands. */
export function LoanSchedule({ loan }: { loan: Loan }) {
  const t = useT();
  if (!loan.schedule.length) return <Typography.Text type="secondary">{t("loan.schedule.none")}</Typography.Text>;
  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }}>
      <Typography.Text type="secondary">
        {t(`loan.plan.${loan.plan.kind}`)} · {t("loan.schedule.count", { n: loan.plan.instalments })}
        {loan.schedulePreview ? ` · ${t("loan.schedule.preview")}` : ""}
        {loan.calledOn ? ` · ${t("loan.called", { date: loan.calledOn })}` : ""}
      </Typography.Text>
      <Table<Instalment>
        rowKey="no"
        size="small"
        pagination={false}
        dataSource={loan.schedule}
        aria-label={t("loan.schedule")}
        columns={[
          { title: t("loan.schedule.no"), dataIndex: "no" },
          { title: t("loan.schedule.date"), dataIndex: "dueDate" },
          {
            title: t("loan.schedule.principal"),
            dataIndex: "principalFen",
            align: "right",
            render: (f: number) => <Money fen={f} />,
          },
          {
            title: t("loan.schedule.interest"),
            dataIndex: "interestFen",
            align: "right",
            render: (f: number) => <Money fen={f} />,
          },
          {
            title: t("loan.schedule.total"),
            dataIndex: "totalFen",
            align: "right",
            render: (f: number) => <Money fen={f} />,
          },
          {
            title: t("loan.schedule.paid"),
            dataIndex: "paidPrincipalFen",
            align: "right",
            render: (f: number) => <Money fen={f} />,
          },
          {
            title: t("loan.schedule.overdueInterest"),
            dataIndex: "overdueInterestFen",
            align: "right",
            render: (f: number) => (f ? <Money fen={f} /> : "—"),
          },
          {
            title: t("loan.status"),
            dataIndex: "status",
            render: (s: Instalment["status"]) => (
              <Tag color={INSTALMENT_COLOR[s]}>{t(`loan.schedule.status.${s}`)}</Tag>
            ),
          },
        ]}
      />
    </Space>
  );
}

const COLOR: Record<LoanStatus, string> = {
  applied: "#0958d9",
  proposed: "#531dab",
  approved: "#08979c",
  declined: "#820014",
  withdrawn: "#595959",
  disbursed: "#ad4e00",
  overdue: "#a8071a",
  closed: "#135200",
};

export function LoanStatusTag({ status }: { status: LoanStatus }) {
  const t = useT();
  return <Tag color={COLOR[status]}>{t(`loan.status.${status}`)}</Tag>;
}

/** Yuan typed in a form (two decimals) as integer fen. */
export const toFen = (yuan: number | string) => Math.round(Number(yuan) * 100);
export const percent = (bp: number | null) => (bp === null ? "—" : `${(bp / 100).toFixed(2)} %`);

/** A table of loans with the columns both sides read; `who` names the other party, `actions` a row's buttons. */
export function LoanTable({
  loans,
  loading,
  who,
  actions,
  empty,
}: {
  loans: Loan[];
  loading: boolean;
  who: "lender" | "borrower";
  actions?: (l: Loan) => ReactNode;
  empty: string;
}) {
  const t = useT();
  return (
    <Table<Loan>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={loans}
      locale={{ emptyText: empty }}
      scroll={{ x: true }}
      expandable={{
        expandedRowRender: (l) => <LoanSchedule loan={l} />,
        rowExpandable: (l) => l.schedule.length > 0,
      }}
      columns={[
        { title: t("loan.id"), dataIndex: "id" },
        { title: t(who === "lender" ? "loan.lender" : "loan.borrower"), dataIndex: `${who}Id` },
        {
          title: t("loan.basis"),
          key: "basis",
          render: (_: unknown, l) => (
            <>
              {t(`loan.basis.${l.basis}`)}
              <br />
              <Typography.Text type="secondary">{l.invoiceId ?? l.orderId}</Typography.Text>
            </>
          ),
        },
        { title: t("loan.side"), dataIndex: "side", render: (s: Loan["side"]) => t(`loan.side.${s}`) },
        { title: t("loan.status"), dataIndex: "status", render: (s: LoanStatus) => <LoanStatusTag status={s} /> },
        {
          title: t("loan.amount"),
          key: "amount",
          align: "right",
          render: (_: unknown, l) => <Money fen={l.amountFen ?? l.requestedFen} />,
        },
        { title: t("loan.rate"), dataIndex: "rateBp", align: "right", render: (bp: number | null) => percent(bp) },
        { title: t("loan.due"), dataIndex: "dueDate", render: (d: string | null) => d ?? "—" },
        { title: t("loan.nextDue"), dataIndex: "nextDueDate", render: (d: string | null) => d ?? "—" },
        {
          title: t("loan.owed"),
          key: "owed",
          align: "right",
          render: (_: unknown, l) => <Money fen={l.today.payoffFen} />,
        },
        {
          title: t("loan.atDue"),
          key: "atDue",
          align: "right",
          render: (_: unknown, l) => {
            const next = l.schedule.find((i) => i.status !== "paid");
            return next && !l.schedulePreview ? <Money fen={next.totalFen} /> : "—";
          },
        },
        { title: t("loan.repaid"), dataIndex: "repaidFen", align: "right", render: (f: number) => <Money fen={f} /> },
        ...(actions ? [{ title: "", key: "act", render: (_: unknown, l: Loan) => actions(l) }] : []),
      ]}
    />
  );
}
