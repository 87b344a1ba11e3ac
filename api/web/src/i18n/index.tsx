import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { en } from "./en";
import { zhCN, type MessageKey } from "./zh-CN";

export type Locale = "zh-CN" | "en";
export type { MessageKey };
const STORE = "partledger.locale";
const messages: Record<Locale, { readonly [K in MessageKey]: string }> = { "zh-CN": zhCN, en };

/** The remembered choice (localStorage), Chinese by default. */
export function initialLocale(): Locale {
  try {
    return localStorage.getItem(STORE) === "en" ? "en" : "zh-CN";
  } catch {
    return "zh-CN";
  }
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(locale: Locale): Translate {
  return (key, vars) => {
    const text: string = messages[locale][key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(vars[name] ?? m)) : text;
  };
}

/** Whether a key exists (for API problem codes, which are only sometimes translated). */
export const hasMessage = (key: string): key is MessageKey => key in zhCN;
/** Every message key (both locales have the same keys). */
export const messageKeys: readonly string[] = Object.keys(zhCN);

interface LocaleState {
  locale: Locale;
  setLocale(l: Locale): void;
  t: Translate;
}
const LocaleContext = createContext<LocaleState | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, set] = useState<Locale>(initialLocale);
  const setLocale = useCallback((l: Locale) => {
    try {
      localStorage.setItem(STORE, l);
    } catch {
      /* private mode: the choice lasts this page */
    }
    document.documentElement.lang = l;
    set(l);
  }, []);
  const value = useMemo(() => ({ locale, setLocale, t: translate(locale) }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  const v = useContext(LocaleContext);
  if (!v) throw new Error("useLocale outside LocaleProvider");
  return v;
}

/** `const t = useT(); t("menu.home")` */
export const useT = (): Translate => useLocale().t;
