/**
 * The signed-in frame: ProLayout's side menu built from the page registries (filtered by the user's kind and
 * permissions), a page header, the language switch and the user menu. Below the md breakpoint ProLayout folds the
 * menu into a drawer (phones at the bench).
 */
import { LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { PageContainer, ProLayout } from "@ant-design/pro-components";
import { Alert, Button, Dropdown, Result, Spin } from "antd";
import { Suspense, useMemo } from "react";
import { Link, matchPath, Navigate, Route, Routes, useLocation } from "react-router";
import { allRoutes } from "../pages";
import { useT } from "../i18n";
import { LanguageSwitch } from "./LanguageSwitch";
import { openWhilePending } from "./routes";
import { permissionsOf, useCurrent, useSession } from "./session";

export default function Layout() {
  const t = useT();
  const { me, user, company } = useCurrent();
  const { logout } = useSession();
  const { pathname } = useLocation();
  const pending = company?.onboarding === "pending";
  const routes = useMemo(() => {
    const p = permissionsOf(me);
    // A company waiting for approval sees only what it may use (the API refuses the rest: COMPANY.NOT_APPROVED).
    return allRoutes.filter((r) => p.allows(r) && (!pending || openWhilePending(r)));
  }, [me, pending]);
  const current = routes.find((r) => matchPath(r.path, pathname));
  const who = user?.name ?? me.id;
  return (
    <ProLayout
      title="PartLedger"
      logo={false}
      layout="side"
      fixSiderbar
      location={{ pathname }}
      route={{
        path: "/",
        routes: routes.map((r) => ({ path: r.path, name: t(r.titleKey), icon: r.icon, hideInMenu: r.hideInMenu })),
      }}
      menuItemRender={(item, dom) => (item.path ? <Link to={item.path}>{dom}</Link> : dom)}
      actionsRender={() => [<LanguageSwitch key="lang" />]}
      avatarProps={{
        icon: <UserOutlined />,
        size: "small",
        title: <span data-testid="user-name">{who}</span>,
        render: (_props, dom) => (
          <Dropdown
            menu={{
              items: [
                { key: "logout", icon: <LogoutOutlined />, label: t("user.logout"), onClick: () => void logout() },
              ],
            }}
          >
            <Button type="text" aria-label={`${who} · ${t("user.menu")}`} style={{ paddingInline: 4 }}>
              {dom}
            </Button>
          </Dropdown>
        ),
      }}
      menuFooterRender={() =>
        company ? <div style={{ padding: 8, fontSize: 12, color: "rgba(0, 0, 0, 0.65)" }}>{company.name}</div> : null
      }
    >
      <PageContainer title={current ? t(current.titleKey) : undefined} breadcrumbRender={false}>
        {company?.onboarding === "pending" && (
          // A self-registered company waits for the platform's two approvals before it trades (DECISIONS 98).
          <Alert
            type="warning"
            showIcon
            data-testid="onboarding-pending"
            style={{ marginBottom: 16 }}
            title={t("onboarding.pending.banner")}
            action={
              pathname === "/onboarding/application" ? undefined : (
                <Link to="/onboarding/application">
                  <Button size="small">{t("onboarding.pending.link")}</Button>
                </Link>
              )
            }
          />
        )}
        <Suspense fallback={<Spin aria-label={t("app.loading")} />}>
          <Routes>
            {routes.map((r) => (
              <Route key={r.path} path={r.path} element={<r.element />} />
            ))}
            {/* Signed in from a bookmarked /console/login (any signed-out path shows the login): go home. */}
            <Route path="/login" element={<Navigate to="/" replace />} />
            <Route
              path="*"
              element={
                <Result
                  status="404"
                  title="404"
                  subTitle={t("app.notFound")}
                  extra={
                    <Link to="/">
                      <Button type="primary">{t("app.notFound.back")}</Button>
                    </Link>
                  }
                />
              }
            />
          </Routes>
        </Suspense>
      </PageContainer>
    </ProLayout>
  );
}
