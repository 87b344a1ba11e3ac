import { App as AntApp, ConfigProvider, Spin } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { lazy, Suspense, useEffect } from "react";
import { BrowserRouter, useLocation } from "react-router";
import { LocaleProvider, useLocale } from "../i18n";
import Login from "./Login";
import { SessionProvider, useSession } from "./session";

// The layout (ProLayout) and every page are lazy chunks: the login page loads without them.
const Layout = lazy(() => import("./Layout"));
// The auditor's verification page is public by design (DECISIONS 62): /console/verify without a login.
const PublicVerify = lazy(() => import("../pages/auditor/PublicVerify"));
// A company applies to join without a login (入驻申请, DECISIONS 98): /console/register.
const Register = lazy(() => import("../pages/onboarding/Register"));

function Shell() {
  const { current } = useSession();
  const { t } = useLocale();
  const { pathname } = useLocation();
  if (current === undefined) return <Spin fullscreen aria-label={t("app.loading")} />;
  if (current === null && pathname === "/verify")
    return (
      <Suspense fallback={<Spin fullscreen aria-label={t("app.loading")} />}>
        <PublicVerify />
      </Suspense>
    );
  if (current === null && pathname === "/register")
    return (
      <Suspense fallback={<Spin fullscreen aria-label={t("app.loading")} />}>
        <Register />
      </Suspense>
    );
  if (current === null) return <Login />;
  return (
    <Suspense fallback={<Spin fullscreen aria-label={t("app.loading")} />}>
      <Layout />
    </Suspense>
  );
}

/** antd's default secondary grey (#8c8c8c) fails WCAG AA contrast on white: darker greys (axe-checked). */
const THEME = {
  token: {
    colorPrimary: "#1660d9",
    // The derived hover shade (#3c82e6, 3.8:1 on white) is the text of a hovered default button: a darker hover
    // keeps 4.5:1 there and under a primary button's white text.
    colorPrimaryHover: "#1358c8",
    colorPrimaryTextHover: "#1358c8",
    // Plain links (a router <Link> is an <a>) take colorLink, derived from antd's info blue (#1677ff, 4.1:1).
    colorLink: "#1660d9",
    colorLinkHover: "#1358c8",
    colorTextDescription: "rgba(0, 0, 0, 0.65)",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.55)",
    // Tag text (palette shade 7, derived from these seeds) and danger buttons at antd's defaults fall under 4.5:1.
    colorError: "#cf1322",
    green: "#237804",
    gold: "#ad6800",
  },
  components: {
    // An empty table's "暂无数据" is drawn in the disabled grey (#bfbfbf, 1.8:1): it is text to read, not a disabled
    // control. (A List's empty text ignores this: give it a Typography.Text type="secondary".)
    Empty: { colorTextDisabled: "rgba(0, 0, 0, 0.55)" },
    Table: { colorTextDisabled: "rgba(0, 0, 0, 0.55)" },
  },
};

function Localised() {
  const { locale } = useLocale();
  useEffect(() => {
    dayjs.locale(locale === "en" ? "en" : "zh-cn");
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <ConfigProvider locale={locale === "en" ? enUS : zhCN} theme={THEME}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter basename="/console">
            <Shell />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <Localised />
    </LocaleProvider>
  );
}
