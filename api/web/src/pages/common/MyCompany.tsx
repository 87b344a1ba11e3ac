import { Alert, Button, Descriptions, Skeleton, Typography } from "antd";
import { answer, api, useApi } from "../../api/client";
import type { Company } from "../../api/types";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";

/** My company (GET /api/v1/companies/me): the pattern screens copy — useApi, loading, error with retry, data. */
export default function MyCompany() {
  const t = useT();
  const company = useApi(() => answer<Company>(api.GET("/api/v1/companies/me")), []);
  if (company.loading) return <Skeleton active />;
  if (company.error || !company.data)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, company.error)}
        action={<Button onClick={company.reload}>{t("app.retry")}</Button>}
      />
    );
  const c = company.data;
  return (
    <Descriptions bordered column={{ xs: 1, md: 2 }} size="small" data-testid="my-company">
      <Descriptions.Item label={t("company.name")}>{c.name}</Descriptions.Item>
      <Descriptions.Item label={t("company.kind")}>{t(`kind.${c.kind}`)}</Descriptions.Item>
      <Descriptions.Item label={t("company.uscc")}>
        <Typography.Text copyable>{c.uscc}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t("company.region")}>{c.regionCode}</Descriptions.Item>
      <Descriptions.Item label={t("company.location")}>
        {c.lng.toFixed(4)}, {c.lat.toFixed(4)}
      </Descriptions.Item>
      <Descriptions.Item label={t("company.custodial")}>
        {t(c.custodial ? "company.custodial.yes" : "company.custodial.no")}
      </Descriptions.Item>
      <Descriptions.Item label={t("company.address")}>
        <Typography.Text code copyable style={{ wordBreak: "break-all" }}>
          {c.address}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t("company.createdAt")}>
        <DateTime at={c.createdAt} />
      </Descriptions.Item>
    </Descriptions>
  );
}
