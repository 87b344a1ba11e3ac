/**
 * 影响我的召回: open recalls covering units my company holds or installed (GET /api/v1/recalls/affecting-me), with
 * how many are mine and which — for a distributor to pull stock and a repair shop to contact the vehicles' owners.
 */
import { Alert, Card, Collapse, Empty, Space, Typography } from "antd";
import { answer, api, useApi } from "../../api/client";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { LoadError } from "../common/kit";
import { RecallUnits } from "./RecallUnits";
import type { Recall } from "./types";

export default function AffectingRecalls() {
  const t = useT();
  const scopeOf = (r: Recall) =>
    r.serialFrom ? `${r.serialFrom} – ${r.serialTo}` : r.lot ? `${t("rc.lot")} ${r.lot}` : t("rc.wholeGtin");
  const list = useApi(
    () =>
      answer<{ recalls: Array<Recall & { mine: number }> }>(api.GET("/api/v1/recalls/affecting-me", {} as never)).then(
        (r) => r.recalls,
      ),
    [],
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="affecting-recalls">
      <Alert type="warning" showIcon message={t("rc.affectingHint")} />
      {list.error ? <LoadError state={list} /> : null}
      {!list.loading && !list.error && !list.data?.length ? <Empty description={t("rc.noneAffecting")} /> : null}
      {(list.data ?? []).map((r) => (
        <Card
          key={r.id}
          size="small"
          data-testid="affecting-recall"
          title={`${r.gtin} · ${scopeOf(r)}`}
          extra={<Typography.Text strong>{t("rc.mine", { n: r.mine })}</Typography.Text>}
        >
          <Typography.Paragraph type="secondary">
            {r.reason} · <DateTime at={r.createdAt} />
          </Typography.Paragraph>
          <Collapse
            size="small"
            items={[{ key: "u", label: t("rc.myUnits"), children: <RecallUnits id={r.id} editable={false} /> }]}
          />
        </Card>
      ))}
    </Space>
  );
}
