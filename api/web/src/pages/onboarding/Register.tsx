/** /console/register: a company applies to join (入驻申请) without a login — licence, USCC and its first admin. */
import { Alert, Button, Card, Form, Input, Layout, Radio, Result, Space, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { answer, api } from "../../api/client";
import { formErrorText } from "../../app/errors";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { useT } from "../../i18n";
import { CompanyFields, LicenceField } from "./shared";

interface Fields {
  name: string;
  uscc: string;
  kind: "manufacturer" | "distributor" | "repair_shop" | "service_provider";
  regionCode: string;
  licence: string;
  adminName: string;
  mobile: string;
  password: string;
  confirm: string;
}

export default function Register() {
  const t = useT();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ mobile: string } | null>(null);
  const submit = async (f: Fields) => {
    setBusy(true);
    setError(undefined);
    try {
      await answer(
        api.POST("/api/v1/onboarding/applications", {
          body: {
            name: f.name.trim(),
            uscc: f.uscc,
            kind: f.kind,
            regionCode: f.regionCode,
            licence: f.licence,
            admin: { name: f.adminName.trim(), mobile: f.mobile, password: f.password },
          },
        } as never),
      );
      setDone({ mobile: f.mobile });
    } catch (e) {
      setError(formErrorText(t, form, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Layout style={{ minHeight: "100vh", background: "#f5f7fa" }}>
      <Layout.Header style={{ background: "#fff", display: "flex", alignItems: "center", gap: 12, paddingInline: 16 }}>
        <Typography.Text strong style={{ flex: 1 }}>
          PartLedger
        </Typography.Text>
        <Space>
          <LanguageSwitch />
          <Link to="/">
            <Button>{t("onboarding.register.login")}</Button>
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 720, width: "100%", margin: "0 auto" }}>
        <main>
          <Typography.Title level={1} style={{ fontSize: 22 }}>
            {t("onboarding.register.title")}
          </Typography.Title>
          {done ? (
            <Card>
              <Result
                status="success"
                title={t("onboarding.register.done")}
                subTitle={t("onboarding.register.done.hint", { mobile: done.mobile })}
                extra={
                  <Link to="/">
                    <Button type="primary">{t("onboarding.register.login")}</Button>
                  </Link>
                }
                data-testid="register-done"
              />
            </Card>
          ) : (
            <Card>
              <Typography.Paragraph type="secondary">{t("onboarding.register.intro")}</Typography.Paragraph>
              {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
              <Form<Fields>
                form={form}
                layout="vertical"
                name="register"
                onFinish={(f) => void submit(f)}
                initialValues={{ kind: "distributor" }}
              >
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  {t("onboarding.register.company")}
                </Typography.Title>
                <CompanyFields />
                <Form.Item label={t("onboarding.kind")} name="kind" rules={[{ required: true }]}>
                  <Radio.Group
                    options={(["manufacturer", "distributor", "repair_shop", "service_provider"] as const).map((k) => ({
                      value: k,
                      label: t(`onboarding.kind.${k}`),
                    }))}
                  />
                </Form.Item>
                <LicenceField />
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  {t("onboarding.register.admin")}
                </Typography.Title>
                <Form.Item
                  label={t("onboarding.admin.name")}
                  name="adminName"
                  rules={[{ required: true, whitespace: true, max: 60 }]}
                >
                  <Input autoComplete="name" />
                </Form.Item>
                <Form.Item
                  label={t("onboarding.admin.mobile")}
                  name="mobile"
                  rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: t("onboarding.admin.mobile.format") }]}
                >
                  <Input autoComplete="tel" inputMode="tel" maxLength={11} />
                </Form.Item>
                <Form.Item
                  label={t("onboarding.admin.password")}
                  name="password"
                  extra={t("onboarding.admin.password.hint")}
                  rules={[{ required: true, min: 10, max: 128 }]}
                >
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
                <Form.Item
                  label={t("onboarding.admin.confirm")}
                  name="confirm"
                  dependencies={["password"]}
                  rules={[
                    { required: true },
                    ({ getFieldValue }) => ({
                      validator: (_, v) =>
                        v === getFieldValue("password")
                          ? Promise.resolve()
                          : Promise.reject(new Error(t("onboarding.admin.confirm.mismatch"))),
                    }),
                  ]}
                >
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} block size="large">
                  {t("onboarding.register.submit")}
                </Button>
              </Form>
            </Card>
          )}
        </main>
      </Layout.Content>
    </Layout>
  );
}
