/** Order loans (DECISIONS 105, 106): the loan, its status tag, its table — shared by borrower and lender screens. */
import { Table, Tag } from "antd";
import type { ReactNode } from "react";
import { useT } from "../../i18n";
import { Money } from "../../widgets/Money";

export type LoanStatus =
  "applied" | "proposed" | "approved" | "declined" | "withdrawn" | "disbursed" | "overdue" | "closed";

export interface Loan {
  id: string;
  borrowerId: string;
  lenderId: string;
  invoiceId: string;
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
  /** One bullet repayment on the due date, if nothing more is paid. */
  schedule: Array<{ dueDate: string; principalFen: number; interestFen: number; payoffFen: number }>;
  next: LoanStatus[];
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
      columns={[
        { title: t("loan.id"), dataIndex: "id" },
        { title: t(who === "lender" ? "loan.lender" : "loan.borrower"), dataIndex: `${who}Id` },
        { title: t("loan.invoice"), dataIndex: "invoiceId" },
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
          render: (_: unknown, l) => (l.schedule[0] ? <Money fen={l.schedule[0].payoffFen} /> : "—"),
        },
        { title: t("loan.repaid"), dataIndex: "repaidFen", align: "right", render: (f: number) => <Money fen={f} /> },
        ...(actions ? [{ title: "", key: "act", render: (_: unknown, l: Loan) => actions(l) }] : []),
      ]}
    />
  );
}
