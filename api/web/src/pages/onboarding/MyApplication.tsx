/** The applicant's status page: where its application stands, every step, a refusal's reason, and resubmission. */
import { Alert, Button, Card, Descriptions, Form, Result, Space } from "antd";
import { ApiError, answer, api, session, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, download, useAction } from "../common/kit";
import { ApplicationSteps, type Step } from "./ApplicationSteps";
import { CompanyFields, LicenceField, extOf } from "./shared";

export interface Application {
  id: string;
  companyId: string;
  company: { name: string; uscc: string; kind: string; regionCode: string; onboarding: "pending" | "approved" };
  status: "submitted" | "first_approved" | "approved" | "refused";
  round: number;
  licence: { sha256: string; type: string; bytes: number };
  reason: string | null;
  submittedAt: string;
  steps: Step[];
}

const ALERT = { submitted: "info", first_approved: "info", approved: "success", refused: "error" } as const;

export default function MyApplication() {
  const t = useT();
  const app = useApi(() => answer<Application>(api.GET("/api/v1/onboarding/application")), []);
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  if (app.error instanceof ApiError && app.error.code === "ONBOARDING.NO_APPLICATION")
    return <Result status="success" title={t("onboarding.mine.none")} subTitle={t("onboarding.mine.none.hint")} />;
  if (app.error) return <LoadError state={app} />;
  const a = app.data;
  if (!a) return <Card loading />;
  const resubmit = async () => {
    const v = (await form.validateFields()) as { name: string; uscc: string; regionCode: string; licence: string };
    const ok = await run(
      "resubmit",
      () => answer(api.POST("/api/v1/onboarding/application/resubmit", { body: v } as never)),
      t("onboarding.mine.resubmitted"),
      form,
    );
    if (ok) app.reload();
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Alert
        type={ALERT[a.status]}
        showIcon
        data-testid="application-status"
        title={t(`onboarding.mine.${a.status}`)}
        description={a.status === "refused" && a.reason ? t("onboarding.reason", { reason: a.reason }) : undefined}
      />
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t("onboarding.name")}>{a.company.name}</Descriptions.Item>
          <Descriptions.Item label={t("onboarding.uscc")}>{a.company.uscc}</Descriptions.Item>
          <Descriptions.Item label={t("onboarding.kind")}>
            {t(`onboarding.kind.${a.company.kind}` as never)}
          </Descriptions.Item>
          <Descriptions.Item label={t("onboarding.region")}>{a.company.regionCode}</Descriptions.Item>
          <Descriptions.Item label={t("common.status")}>
            <StatusTag status={`application.${a.status}`} color={a.status === "refused" ? "red" : undefined} />
          </Descriptions.Item>
          <Descriptions.Item label={t("onboarding.submittedAt")}>
            <DateTime at={a.submittedAt} /> · {t("onboarding.round", { n: a.round })}
          </Descriptions.Item>
          <Descriptions.Item label={t("onboarding.licence")}>
            <Button
              size="small"
              onClick={() =>
                void download(
                  "/api/v1/onboarding/application/licence",
                  session.token(),
                  `licence.${extOf(a.licence.type)}`,
                )
              }
            >
              {t("onboarding.licence.download")}
            </Button>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t("onboarding.steps")}>
        <ApplicationSteps steps={a.steps} />
      </Card>
      {a.status === "refused" && (
        <Can perm="company:edit">
          <Card title={t("onboarding.mine.resubmit")}>
            <Form
              form={form}
              layout="vertical"
              name="resubmit"
              initialValues={{ name: a.company.name, uscc: a.company.uscc, regionCode: a.company.regionCode }}
            >
              <CompanyFields />
              <LicenceField />
              <Button type="primary" loading={busy === "resubmit"} onClick={() => void resubmit()}>
                {t("onboarding.mine.resubmit")}
              </Button>
            </Form>
          </Card>
        </Can>
      )}
    </Space>
  );
}
