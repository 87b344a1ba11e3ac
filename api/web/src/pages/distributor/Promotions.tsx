/** Promotion suggestions from searches, one-click 限时折扣, and my promotions with their measured uplift. */
import { Alert, App, Button, Card, Flex, Skeleton, Table } from "antd";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";

type Suggestions = Answer<"/api/v1/promotions/suggestions", "get">;
type Promotions = Answer<"/api/v1/promotions", "get">;

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export default function PromotionsScreen() {
  const t = useT();
  const { message } = App.useApp();
  const suggestions = useApi(
    () => answer<Suggestions>(api.GET("/api/v1/promotions/suggestions", { params: { query: {} } })),
    [],
  );
  const mine = useApi(() => answer<Promotions>(api.GET("/api/v1/promotions", { params: { query: {} } })), []);
  const create = async (skuId: number, regionPrefix: string) => {
    try {
      await api.POST("/api/v1/promotions", {
        body: {
          skuId,
          regionPrefix,
          percentOff: 10,
          endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          holdoutPct: 20,
        },
      });
      void message.success(t("promo.created"));
      mine.reload();
    } catch (e) {
      void message.error(errorText(t, e as Error));
    }
  };
  if (suggestions.loading || mine.loading) return <Skeleton active />;
  if (suggestions.error || mine.error || !suggestions.data || !mine.data)
    return <Alert type="error" showIcon title={errorText(t, suggestions.error ?? mine.error)} />;
  return (
    <Flex vertical gap={12} data-testid="distributor-promotions">
      <Card size="small" title={t("promo.suggestions")}>
        <Table
          size="small"
          rowKey={(s) => `${s.skuId}-${s.regionPrefix}`}
          pagination={false}
          dataSource={suggestions.data.suggestions}
          columns={[
            { title: t("promo.sku"), render: (_, s) => `${s.brand} ${s.partNo} ${s.name}` },
            { title: t("promo.region"), dataIndex: "regionPrefix" },
            { title: t("promo.searchers"), dataIndex: "searchers" },
            { title: t("promo.orders"), dataIndex: "orders" },
            { title: t("promo.available"), dataIndex: "available" },
            {
              title: "",
              render: (_, s) => (
                <Button size="small" type="primary" onClick={() => void create(s.skuId, s.regionPrefix)}>
                  {t("promo.create10")}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("promo.mine")}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={mine.data.promotions}
          columns={[
            { title: t("promo.sku"), dataIndex: "skuId" },
            { title: t("promo.region"), dataIndex: "regionPrefix" },
            {
              title: t("promo.discount"),
              render: (_, p) => (p.percentOff !== null ? `${p.percentOff}%` : `¥${((p.fenOff ?? 0) / 100).toFixed(2)}`),
            },
            { title: t("promo.ends"), render: (_, p) => <DateTime at={p.endsAt} /> },
            {
              title: t("promo.conversion"),
              render: (_, p) =>
                `${pct(p.measured.treatedRate)} (${p.measured.treated.shops}) / ${pct(p.measured.heldOutRate)} (${p.measured.heldOut.shops})`,
            },
            {
              title: t("promo.uplift"),
              render: (_, p) => `${pct(p.measured.uplift)} [${pct(p.measured.low)}, ${pct(p.measured.high)}]`,
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
