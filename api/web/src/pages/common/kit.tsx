/** Small pieces shared by the common and platform screens (wcommon): an error block with retry, an action runner. */
import { Alert, App, Button, type FormInstance } from "antd";
import { useCallback, useState } from "react";
import type { ApiState } from "../../api/client";
import { errorText, formErrorText } from "../../app/errors";
import { useT } from "../../i18n";

export function LoadError({ state }: { state: Pick<ApiState<unknown>, "error" | "reload"> }) {
  const t = useT();
  return (
    <Alert
      type="error"
      showIcon
      title={errorText(t, state.error)}
      action={<Button onClick={state.reload}>{t("app.retry")}</Button>}
    />
  );
}

/**
 * Runs a call, shows `done` (or the translated API error) as a toast, and answers the result (undefined on error);
 * `busy` is the id of the action in flight, for a button's loading state. With `form`, an error that names a field
 * is shown under that field too.
 */
export function useAction() {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = useCallback(
    async <T,>(
      id: string,
      call: () => Promise<T>,
      done?: string | ((v: T) => string),
      form?: FormInstance,
    ): Promise<T | undefined> => {
      setBusy(id);
      try {
        const v = await call();
        if (done) void message.success(typeof done === "string" ? done : done(v));
        return v;
      } catch (e) {
        void message.error(form ? formErrorText(t, form, e) : errorText(t, e));
        return undefined;
      } finally {
        setBusy(null);
      }
    },
    [message, t],
  );
  return { run, busy };
}

/** Pulls a file from the API with the session's token (a plain link would not carry it) and saves it. */
export async function download(url: string, token: string | null, filename: string) {
  const r = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
  const href = URL.createObjectURL(await r.blob());
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Typing in a role picker finds a role by its shown name (审计员) or its id (auditor); antd matches the id only. */
export const ROLE_SEARCH = { optionFilterProp: ["label", "value"] };
