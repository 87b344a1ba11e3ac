/** Pieces the registration page and the applicant's resubmission share: the licence upload and the company fields. */
import { CheckCircleOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Form, Input, Space, Typography, Upload } from "antd";
import { useState } from "react";
import { answer, api } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT, type Translate } from "../../i18n";
import { usccProblem } from "../../widgets/uscc";

export const LICENCE_TYPES = ["image/jpeg", "image/png", "application/pdf"];
export const LICENCE_MAX = 5 * 1024 * 1024;

/** The file name's ending for a licence's type. */
export const extOf = (type: string) => (type === "application/pdf" ? "pdf" : type === "image/png" ? "png" : "jpg");

export interface Licence {
  sha256: string;
  type: string;
  bytes: number;
}

/** Sends the file as the raw body of POST /onboarding/licences (no login needed); answers its SHA-256. */
export function uploadLicence(file: File): Promise<Licence> {
  return answer<Licence>(
    api.POST("/api/v1/onboarding/licences", {
      body: file,
      bodySerializer: (b: File) => b,
      headers: { "content-type": file.type || "application/octet-stream" },
    } as never),
  );
}

/**
 * The licence picker of a form: checks type and size in the browser, uploads at once, and puts the file's SHA-256
 * into the form field `licence` (the server checks type, size and content again).
 */
export function LicenceField() {
  const t = useT();
  return (
    <Form.Item
      label={t("onboarding.licence")}
      name="licence"
      extra={t("onboarding.licence.hint")}
      rules={[{ required: true, message: t("onboarding.licence.required") }]}
    >
      <LicenceInput />
    </Form.Item>
  );
}

function LicenceInput({ onChange }: { value?: string; onChange?: (sha256: string | undefined) => void }) {
  const t = useT();
  const [state, setState] = useState<{ name: string; busy: boolean } | null>(null);
  const [error, setError] = useState<string>();
  const pick = async (file: File) => {
    setError(undefined);
    // Checked here first (the server checks type, size and content again): a wrong file is never sent.
    if (!LICENCE_TYPES.includes(file.type)) return setError(t("onboarding.licence.type"));
    if (file.size > LICENCE_MAX) return setError(t("onboarding.licence.size"));
    setState({ name: file.name, busy: true });
    try {
      const l = await uploadLicence(file);
      onChange?.(l.sha256);
      setState({ name: file.name, busy: false });
    } catch (e) {
      setState(null);
      onChange?.(undefined);
      setError(errorText(t, e));
    }
  };
  return (
    <Space wrap>
      <Upload
        accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
        showUploadList={false}
        beforeUpload={(file) => {
          void pick(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={state?.busy ?? false} data-testid="licence-upload">
          {t("onboarding.licence.choose")}
        </Button>
      </Upload>
      {state && !state.busy && (
        <Typography.Text data-testid="licence-name">
          <CheckCircleOutlined style={{ color: "#237804", marginInlineEnd: 4 }} />
          {t("onboarding.licence.uploaded", { name: state.name })}
        </Typography.Text>
      )}
      {error && (
        <Typography.Text type="danger" role="alert" data-testid="licence-error">
          {error}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The USCC input's rule: 18 characters with a correct check character (GB 32100-2015). */
export const usccRule = (t: Translate) => ({
  validator: (_: unknown, v: string | undefined) => {
    const code = (v ?? "").trim().toUpperCase();
    if (!code) return Promise.reject(new Error(t("onboarding.uscc.required")));
    const p = usccProblem(code);
    return p
      ? Promise.reject(new Error(t(p === "format" ? "onboarding.uscc.format" : "onboarding.uscc.check")))
      : Promise.resolve();
  },
});

/** Name, USCC and region: what the registration and a resubmission both carry. */
export function CompanyFields() {
  const t = useT();
  return (
    <>
      <Form.Item
        label={t("onboarding.name")}
        name="name"
        rules={[{ required: true, whitespace: true, min: 2, max: 200 }]}
      >
        <Input autoComplete="organization" />
      </Form.Item>
      <Form.Item
        label={t("onboarding.uscc")}
        name="uscc"
        extra={t("onboarding.uscc.hint")}
        rules={[usccRule(t)]}
        normalize={(v: string) => v.toUpperCase().replace(/\s/g, "")}
      >
        <Input maxLength={18} style={{ fontFamily: "monospace" }} />
      </Form.Item>
      <Form.Item
        label={t("onboarding.region")}
        name="regionCode"
        extra={t("onboarding.region.hint")}
        rules={[{ required: true, pattern: /^\d{6}$/, message: t("onboarding.region.format") }]}
      >
        <Input maxLength={6} inputMode="numeric" style={{ maxWidth: 160 }} />
      </Form.Item>
    </>
  );
}
