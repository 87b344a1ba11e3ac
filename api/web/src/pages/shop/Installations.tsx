/** My installations (GET /api/v1/installations): parts fitted by the shop, VIN and owner masked as the API answers. */
import { Alert, Button, Card, Empty, Flex, Input, Skeleton, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { MaskedMobile } from "../../widgets/MaskedMobile";
import { vinProblem } from "./lib";

type List = Answer<"/api/v1/installations", "get">;

export default function Installations() {
  const t = useT();
  const [vin, setVin] = useState("");
  const list = useApi(
    () =>
      answer<List>(api.GET("/api/v1/installations", { params: { query: { limit: 100, ...(vin ? { vin } : {}) } } })),
    [vin],
  );
  return (
    <Flex vertical gap={12} data-testid="shop-installations">
      <Input.Search
        placeholder={t("shop.installations.byVin")}
        aria-label={t("shop.installations.byVin")}
        allowClear
        onSearch={(v) => setVin(vinProblem(v) ? "" : v.trim().toUpperCase())}
      />
      {list.loading && <Skeleton active />}
      {list.error && (
        <Alert
          type="error"
          showIcon
          title={errorText(t, list.error)}
          action={<Button onClick={list.reload}>{t("app.retry")}</Button>}
        />
      )}
      {list.data && list.data.installations.length === 0 && <Empty description={t("shop.installations.none")} />}
      {list.data?.installations.map((i) => (
        <Card key={i.id} size="small" data-testid="shop-installation" data-serial={i.serial}>
          <Flex vertical gap={2}>
            <Typography.Text strong>
              VIN <Typography.Text code>{i.vin}</Typography.Text>
            </Typography.Text>
            <Typography.Text>
              GTIN {i.gtin} · {t("shop.install.serial")} {i.serial}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t("shop.installations.owner")} {i.owner.name ?? "—"} · <MaskedMobile mobile={i.owner.mobile} /> ·{" "}
              <DateTime at={i.installedAt} />
            </Typography.Text>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}
