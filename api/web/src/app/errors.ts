import type { FormInstance } from "antd";
import { ApiError } from "../api/client";
import { messageKeys, type Translate } from "../i18n";
import { problemText, type Lookup } from "./problem-text";

/**
 * An error as a sentence for the user — the one place the console turns an API problem into words: the problem's
 * code translated (with its parameters), a generic sentence naming the code when i18n has no translation for it.
 */
export function errorText(t: Translate, e: unknown): string {
  if (e instanceof ApiError) return problemText(t as Lookup, messageKeys, e);
  if (e instanceof TypeError) return t("error.network");
  return t("error.generic", { detail: e instanceof Error ? e.message : String(e) });
}

/** The form field a problem names (`field`, e.g. "vin" or "lines[0].quantity"), as an antd name path. */
export function problemField(e: unknown): (string | number)[] | undefined {
  if (!(e instanceof ApiError) || typeof e.params.field !== "string" || !e.params.field) return undefined;
  return e.params.field
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * errorText, and when the problem names a field, the message is shown under that field of `form` too.
 * Answers the message (a screen still shows it in its alert or toast).
 */
export function formErrorText(t: Translate, form: FormInstance, e: unknown): string {
  const text = errorText(t, e);
  const name = problemField(e);
  // A field the form does not have is ignored by antd (nothing is shown for it).
  if (name) form.setFields([{ name, errors: [text] }]);
  return text;
}
