import { Button, Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from "antd";
import { useNavigate } from "react-router";
import { allRoutes } from "..";
import { openWhilePending } from "../../app/routes";
import { permissionsOf, useCurrent } from "../../app/session";
import { hasMessage, useT } from "../../i18n";
import { MaskedMobile } from "../../widgets/MaskedMobile";

/** Who I am, my company, and the screens I use most (quick links filtered like the menu). */
export default function Home() {
  const t = useT();
  const navigate = useNavigate();
  const { me, user, company } = useCurrent();
  const p = permissionsOf(me);
  /** A built-in role in words (the names the users table shows); a custom role by its id. */
  const roleWord = (r: string) => {
    const key = `role.${r}`;
    return hasMessage(key) ? t(key) : r;
  };
  const pending = company?.onboarding === "pending";
  const links = allRoutes.filter((r) => r.quickLink && p.allows(r) && (!pending || openWhilePending(r)));
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }} data-testid="welcome">
        {t("home.welcome", { name: user?.name ?? me.id })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card title={t("home.you")}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t("login.identifier")}>
                {user?.mobile ? <MaskedMobile mobile={user.mobile} /> : (user?.email ?? "—")}
              </Descriptions.Item>
              <Descriptions.Item label={t("home.roles")}>
                {me.roles.map((r) => (
                  <Tag key={r}>{roleWord(r)}</Tag>
                ))}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t("home.company")}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t("company.name")}>
                <span data-testid="home-company">{company?.name ?? "—"}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t("company.kind")}>{t(`kind.${me.kind}`)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      <Card title={t("home.quickLinks")}>
        {links.length === 0 ? (
          <Empty description={t("home.noLinks")} />
        ) : (
          <Space wrap>
            {links.map((r) => (
              <Button key={r.path} icon={r.icon} onClick={() => void navigate(r.path)}>
                {t(r.titleKey)}
              </Button>
            ))}
          </Space>
        )}
      </Card>
    </Space>
  );
}
