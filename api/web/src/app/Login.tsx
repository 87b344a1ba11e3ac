import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { useT } from "../i18n";
import { errorText } from "./errors";
import { LanguageSwitch } from "./LanguageSwitch";
import { useSession } from "./session";

interface Fields {
  identifier: string;
  password: string;
}

/** Log in with a mobile number or an e-mail address and a password (POST /api/v1/auth/login). */
export default function Login() {
  const t = useT();
  const { login, expired } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (f: Fields) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(f.identifier, f.password);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main style={{ minHeight: "100vh", display: "grid", placeItems: "center", padding: 16, background: "#f5f7fa" }}>
      <Card style={{ width: "100%", maxWidth: 400 }}>
        <div style={{ display: "flex", justifyContent: "flex-end" }}>
          <LanguageSwitch />
        </div>
        <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
          {t("login.title")}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t("login.subtitle")}</Typography.Paragraph>
        {expired && !error && <Alert type="warning" showIcon title={t("login.expired")} style={{ marginBottom: 16 }} />}
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            role="alert"
            data-testid="login-error"
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<Fields> layout="vertical" onFinish={submit} requiredMark={false} name="login">
          <Form.Item
            label={t("login.identifier")}
            name="identifier"
            rules={[{ required: true, whitespace: true, message: t("login.identifier.required") }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" inputMode="email" size="large" />
          </Form.Item>
          <Form.Item
            label={t("login.password")}
            name="password"
            rules={[{ required: true, message: t("login.password.required") }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t("login.submit")}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: "center" }}>
          <Link to="/register">{t("login.register")}</Link>
        </Typography.Paragraph>
      </Card>
    </main>
  );
}
