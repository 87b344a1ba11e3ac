/** 结算与佣金: settlements with the platform's commission (a provider's own; the platform's all) and the rates. */
import { Alert, App, Button, Card, Flex, InputNumber, Statistic, Table } from "antd";
import { useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT, type MessageKey } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import type { Settlements as SettlementList } from "./lib";

type Rates = Answer<"/api/v1/services/commission-rates", "get">;
type Rate = Rates["rates"][number];

function RateRow({ rate, onSaved }: { rate: Rate; onSaved(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const [bp, setBp] = useState<number | null>(rate.rateBp);
  const save = async () => {
    try {
      await answer(
        api.PUT("/api/v1/services/commission-rates/{category}", {
          params: { path: { category: rate.category } },
          body: { rateBp: bp ?? 0 },
        }),
      );
      void message.success(t("services.rateSaved"));
      onSaved();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Flex gap={8} align="center">
      <Can perm="service_commission:configure" fallback={<span>{(rate.rateBp / 100).toFixed(2)}%</span>}>
        <InputNumber
          aria-label={t(`services.category.${rate.category}` as MessageKey)}
          min={0}
          max={10000}
          value={bp}
          onChange={setBp}
          suffix="bp"
        />
        <Button size="small" onClick={() => void save()}>
          {t("services.save")}
        </Button>
      </Can>
    </Flex>
  );
}

export default function Settlements() {
  const t = useT();
  const list = useApi(() => answer<SettlementList>(api.GET("/api/v1/services/settlements")), []);
  const rates = useApi(() => answer<Rates>(api.GET("/api/v1/services/commission-rates")), []);
  const totals = list.data?.totals;
  return (
    <Flex vertical gap={12} data-testid="services-settlements">
      {(list.error || rates.error) && <Alert type="error" showIcon title={errorText(t, list.error ?? rates.error)} />}
      <Flex gap={32} wrap>
        <Statistic title={t("services.gross")} value={(totals?.grossFen ?? 0) / 100} precision={2} prefix="¥" />
        <Statistic
          title={t("services.commission")}
          value={(totals?.commissionFen ?? 0) / 100}
          precision={2}
          prefix="¥"
        />
        <Statistic title={t("services.net")} value={(totals?.netFen ?? 0) / 100} precision={2} prefix="¥" />
      </Flex>
      <Card size="small" title={t("services.rates")}>
        <p>{t("services.roundingNote")}</p>
        <Table<Rate>
          rowKey="category"
          size="small"
          pagination={false}
          loading={rates.loading}
          dataSource={rates.data?.rates ?? []}
          columns={[
            {
              title: t("services.categoryLabel"),
              render: (_, r) => t(`services.category.${r.category}` as MessageKey),
            },
            { title: t("services.rateBp"), render: (_, r) => <RateRow rate={r} onSaved={rates.reload} /> },
            { title: t("services.updatedAt"), render: (_, r) => <DateTime at={r.updatedAt} /> },
          ]}
        />
      </Card>
      <Table
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.settlements ?? []}
        locale={{ emptyText: t("services.noSettlements") }}
        scroll={{ x: true }}
        columns={[
          { title: t("services.settledAt"), render: (_, s) => <DateTime at={s.settledAt} /> },
          { title: t("services.provider"), dataIndex: "providerName" },
          { title: t("services.shop"), dataIndex: "shopName" },
          { title: t("services.categoryLabel"), render: (_, s) => t(`services.category.${s.category}` as MessageKey) },
          { title: t("services.gross"), render: (_, s) => <Money fen={s.grossFen} /> },
          { title: t("services.rateBp"), render: (_, s) => `${(s.commissionRateBp / 100).toFixed(2)}%` },
          { title: t("services.commission"), render: (_, s) => <Money fen={s.commissionFen} /> },
          { title: t("services.net"), render: (_, s) => <Money fen={s.netFen} /> },
          { title: t("services.claims"), render: (_, s) => <Money fen={s.claimsFen} /> },
          { title: t("services.refund"), render: (_, s) => <Money fen={s.refundFen} /> },
          { title: t("services.due"), render: (_, s) => <Money fen={s.dueFen} /> },
        ]}
      />
    </Flex>
  );
}
