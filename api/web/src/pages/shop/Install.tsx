/**
 * Install a part into a car: scan the part's QR (or type its link), type or scan the VIN — checked here for length,
 * letters and its check digit before anything is sent — optionally the owner, then POST /api/v1/installations (one
 * Idempotency-Key per filled form). The owner and VIN are encrypted at rest and shown masked afterwards.
 */
import { Alert, Button, Card, ConfigProvider, Flex, Form, Input, Result, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { answer, api, type Answer, type Typed } from "../../api/client";
import { errorText, formErrorText } from "../../app/errors";
import { useT } from "../../i18n";
import { ScanInput } from "../../widgets/ScanInput";
import { newKey, parsePartLink, vinProblem, type PartLink } from "./lib";
import { TONES } from "./Tone";

type Installed = Typed<
  Answer<"/api/v1/installations", "post">,
  { id: string; installed: { gtin: string; serial: string } }
>;
interface Fields {
  vin: string;
  ownerName?: string;
  ownerMobile?: string;
}

export default function Install() {
  const t = useT();
  const navigate = useNavigate();
  const [form] = Form.useForm<Fields>();
  const [part, setPart] = useState<PartLink | null>(null);
  const [partError, setPartError] = useState<string>();
  const [key, setKey] = useState(() => newKey("shop-install"));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ id: string; gtin: string; serial: string } | null>(null);
  const onPart = (code: string) => {
    const link = parsePartLink(code);
    setPart(link);
    setPartError(link ? undefined : t("shop.install.badLink"));
  };
  const submit = async (f: Fields) => {
    if (!part) return setPartError(t("shop.install.partRequired"));
    setBusy(true);
    setError(undefined);
    try {
      const owner =
        f.ownerName || f.ownerMobile
          ? { ...(f.ownerName ? { name: f.ownerName } : {}), ...(f.ownerMobile ? { mobile: f.ownerMobile } : {}) }
          : undefined;
      const r = await answer<Installed>(
        api.POST("/api/v1/installations", {
          params: { header: { "Idempotency-Key": key } },
          body: { gtin: part.gtin, serial: part.serial, vin: f.vin.trim().toUpperCase(), ...(owner ? { owner } : {}) },
        }),
      );
      setDone({ id: r.id, ...r.installed });
    } catch (e) {
      formErrorText(t, form, e); // a bad VIN is shown under the VIN field too
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (done)
    return (
      <Result
        status="success"
        title={t("shop.install.done")}
        subTitle={
          <span data-testid="shop-installed">{t("shop.install.doneDetail", { serial: done.serial, id: done.id })}</span>
        }
        extra={[
          <Button
            key="again"
            type="primary"
            onClick={() => {
              setDone(null);
              setPart(null);
              setKey(newKey("shop-install"));
              form.resetFields();
            }}
          >
            {t("shop.install.another")}
          </Button>,
          <Button key="list" onClick={() => void navigate("/shop/installations")}>
            {t("menu.shop.installations")}
          </Button>,
        ]}
      />
    );
  return (
    <Flex vertical gap={12} data-testid="shop-install">
      <Card size="small" title={t("shop.install.part")}>
        <Flex vertical gap={6}>
          <ScanInput onScan={onPart} label={t("shop.install.partLabel")} placeholder={t("shop.install.partLabel")} />
          {part && (
            <Typography.Text style={{ color: TONES.green }} data-testid="shop-install-part">
              ✓ GTIN {part.gtin} · {t("shop.install.serial")} {part.serial}
            </Typography.Text>
          )}
          {partError && <Alert type="error" showIcon title={partError} />}
        </Flex>
      </Card>
      <Card size="small" title={t("shop.install.car")}>
        {/* antd's default error red (#ff4d4f) is below WCAG AA on white: a darker one for the field messages. */}
        <ConfigProvider theme={{ token: { colorError: "#cf222e" } }}>
          <Form form={form} layout="vertical" onFinish={(f) => void submit(f)} requiredMark={false}>
            <Form.Item
              name="vin"
              label={t("shop.install.vin")}
              normalize={(v: string) => v.toUpperCase().replace(/\s/g, "")}
              rules={[
                {
                  validator: async (_r, v: string | undefined) => {
                    const p = vinProblem(v ?? "");
                    if (p) throw new Error(t(`shop.vin.${p}`));
                  },
                },
              ]}
            >
              <Input size="large" maxLength={17} autoComplete="off" placeholder="LSVAU2180N2183294" />
            </Form.Item>
            <Form.Item name="ownerName" label={t("shop.install.ownerName")}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="ownerMobile"
              label={t("shop.install.ownerMobile")}
              rules={[{ pattern: /^1\d{10}$/, message: t("shop.install.mobileInvalid") }]}
            >
              <Input inputMode="tel" autoComplete="off" />
            </Form.Item>
            {error !== undefined && (
              <Alert type="error" showIcon title={errorText(t, error)} style={{ marginBottom: 12 }} />
            )}
            <Button
              type="primary"
              htmlType="submit"
              size="large"
              block
              loading={busy}
              data-testid="shop-install-submit"
            >
              {t("shop.install.submit")}
            </Button>
          </Form>
        </ConfigProvider>
      </Card>
    </Flex>
  );
}
