/**
 * 融资对账单: a month's statement of my loans (or, for a lender, of its book) — opening, disbursed, interest, repaid,
 * closing per loan and per counterparty — and its CSV.
 */
import { Button, DatePicker, Space, Table, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { answer, api, session, useApi } from "../../api/client";
import { useT } from "../../i18n";
import { Money } from "../../widgets/Money";
import { LoadError, download, useAction } from "../common/kit";

interface Line {
  loanId?: string;
  counterpartyId?: string;
  loans?: number;
  openingFen: number;
  disbursedFen: number;
  interestFen: number;
  repaidFen: number;
  closingFen: number;
}
interface Statement {
  month: string;
  until: string;
  as: "borrower" | "lender";
  loans: Line[];
  counterparties: Line[];
  totals: Line;
}

export default function LoanStatement() {
  const t = useT();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const m = month.format("YYYY-MM");
  const st = useApi(
    () => answer<Statement>(api.GET("/api/v1/finance/loan-statement", { params: { query: { month: m } } } as never)),
    [m],
  );
  const { run, busy } = useAction();
  const money = (f: number) => <Money fen={f} />;
  const cols = [
    { title: t("statement.opening"), dataIndex: "openingFen", align: "right" as const, render: money },
    { title: t("statement.disbursed"), dataIndex: "disbursedFen", align: "right" as const, render: money },
    { title: t("statement.interest"), dataIndex: "interestFen", align: "right" as const, render: money },
    { title: t("statement.repaid"), dataIndex: "repaidFen", align: "right" as const, render: money },
    { title: t("statement.closing"), dataIndex: "closingFen", align: "right" as const, render: money },
  ];
  const data = st.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <DatePicker
          picker="month"
          value={month}
          allowClear={false}
          aria-label={t("statement.month")}
          onChange={(d) => d && setMonth(d)}
        />
        <Button
          loading={busy === "csv"}
          onClick={() =>
            void run("csv", () =>
              download(
                `/api/v1/finance/loan-statement?month=${m}&format=csv`,
                session.token(),
                `loan-statement-${m}.csv`,
              ),
            )
          }
        >
          {t("statement.csv")}
        </Button>
      </Space>
      {st.error && <LoadError state={st} />}
      {data && <Typography.Text type="secondary">{t("statement.until", { until: data.until })}</Typography.Text>}
      <Typography.Title level={5}>{t("statement.byCounterparty")}</Typography.Title>
      <Table<Line>
        rowKey="counterpartyId"
        size="small"
        loading={st.loading}
        pagination={false}
        dataSource={data ? [...data.counterparties, { ...data.totals, counterpartyId: t("statement.total") }] : []}
        locale={{ emptyText: t("statement.empty") }}
        scroll={{ x: true }}
        columns={[{ title: t("statement.counterparty"), dataIndex: "counterpartyId" }, ...cols]}
      />
      <Typography.Title level={5}>{t("statement.byLoan")}</Typography.Title>
      <Table<Line>
        rowKey="loanId"
        size="small"
        loading={st.loading}
        dataSource={data?.loans ?? []}
        locale={{ emptyText: t("statement.empty") }}
        scroll={{ x: true }}
        columns={[
          { title: t("loan.id"), dataIndex: "loanId" },
          { title: t("statement.counterparty"), dataIndex: "counterpartyId" },
          ...cols,
        ]}
      />
    </Space>
  );
}
