import { Segmented } from "antd";
import { useLocale, type Locale } from "../i18n";

/** 中文 / English, remembered in localStorage. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale();
  return (
    <Segmented<Locale>
      size="small"
      aria-label={t("app.language")}
      value={locale}
      onChange={setLocale}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "EN", value: "en" },
      ]}
    />
  );
}
