import { ApiError } from "../api/client";
import { hasMessage, type Translate } from "../i18n";

/** An error as a sentence for the user: the API's problem code translated where i18n knows it. */
export function errorText(t: Translate, e: unknown): string {
  if (e instanceof ApiError) {
    const key = `error.${e.code}`;
    if (hasMessage(key)) return t(key, { detail: e.detail });
    return t("error.generic", { detail: e.detail || e.code });
  }
  if (e instanceof TypeError) return t("error.network");
  return t("error.generic", { detail: e instanceof Error ? e.message : String(e) });
}
