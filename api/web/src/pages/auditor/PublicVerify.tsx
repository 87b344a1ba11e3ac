import { Button, Layout, Space, Typography } from "antd";
import { Link } from "react-router";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { useT } from "../../i18n";
import Verify from "./Verify";

/** /console/verify for a visitor without a login (verification is public by design, DECISIONS 62). */
export default function PublicVerify() {
  const t = useT();
  return (
    <Layout style={{ minHeight: "100vh", background: "#f5f7fa" }}>
      <Layout.Header style={{ background: "#fff", display: "flex", alignItems: "center", gap: 12, paddingInline: 16 }}>
        <Typography.Text strong style={{ flex: 1 }}>
          PartLedger
        </Typography.Text>
        <Space>
          <LanguageSwitch />
          <Link to="/">
            <Button>{t("verify.public.login")}</Button>
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 960, width: "100%", margin: "0 auto" }}>
        <main>
          <Typography.Title level={1} style={{ fontSize: 22 }}>
            {t("verify.public.title")}
          </Typography.Title>
          <Verify />
        </main>
      </Layout.Content>
    </Layout>
  );
}
