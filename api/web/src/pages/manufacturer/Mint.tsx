/** Mint a run: a GTIN under one of my verified prefixes (check digit checked here), quantity, lot, brand and name → POST /api/v1/mint. */
import {
  Alert,
  ConfigProvider,
  AutoComplete,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Result,
  Skeleton,
  Space,
  Typography,
} from "antd";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { formatShanghai } from "../../widgets/format";
import { FORM_THEME, prefixOf, toGtin14, type MintResult, type Prefixes, type Products } from "./shared";

interface Values {
  gtin: string;
  count: number;
  lot: string;
  productionDate: string;
  brand: string;
  name: string;
}

const LOT = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;

export default function Mint() {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const prefixes = useApi(
    () => answer<Prefixes>(api.GET("/api/v1/gs1-prefixes", { params: { query: { status: "verified" } } })),
    [],
  );
  const products = useApi(() => answer<Products>(api.GET("/api/v1/products")), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<MintResult>();
  const verified = useMemo(
    () => prefixes.data?.prefixes.filter((p) => p.status === "verified").map((p) => p.prefix) ?? [],
    [prefixes.data],
  );
  const options = useMemo(
    () =>
      (products.data?.products ?? []).map((p) => ({
        value: p.gtin,
        label: `${p.gtin}${p.brand ? ` · ${p.brand} ${p.name ?? ""}` : ""}`,
      })),
    [products.data],
  );

  if (prefixes.error)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, prefixes.error)}
        action={<Button onClick={prefixes.reload}>{t("app.retry")}</Button>}
      />
    );
  if (!prefixes.data) return <Skeleton active />;
  if (done)
    return (
      <Result
        status="success"
        data-testid="mint-result"
        title={t("mfr.mint.done", { count: done.count })}
        subTitle={
          <Space direction="vertical" size={0}>
            <span>{t("mfr.mint.done.sub", { runId: done.runId })}</span>
            <Typography.Text type="secondary">
              GTIN {done.gtin} · {t("mfr.mint.lot")} {done.lot} · {done.productionDate}
            </Typography.Text>
          </Space>
        }
        extra={[
          <Link key="labels" to={`/manufacturer/labels?run=${done.runId}`}>
            <Button type="primary">{t("mfr.mint.toLabels")}</Button>
          </Link>,
          <Link key="runs" to="/manufacturer/runs">
            <Button>{t("mfr.mint.toRuns")}</Button>
          </Link>,
          <Button key="again" onClick={() => setDone(undefined)}>
            {t("mfr.mint.again")}
          </Button>,
        ]}
      />
    );
  if (!verified.length) return <Alert type="warning" showIcon title={t("mfr.mint.noPrefix")} />;

  const submit = async (v: Values) => {
    const g = toGtin14(v.gtin);
    if (!("gtin" in g)) return;
    setBusy(true);
    setError(undefined);
    try {
      setDone(
        await answer<MintResult>(
          api.POST("/api/v1/mint", {
            body: {
              gtin: g.gtin,
              count: v.count,
              lot: v.lot.trim(),
              productionDate: v.productionDate,
              product: { brand: v.brand.trim(), name: v.name.trim() },
            },
          }),
        ),
      );
      products.reload();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfigProvider theme={FORM_THEME}>
      <Card size="small" style={{ maxWidth: 640 }}>
        <Form<Values>
          form={form}
          name="mint"
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          initialValues={{ count: 100, productionDate: formatShanghai(new Date()).slice(0, 10) }}
          onValuesChange={(changed: Partial<Values>) => {
            if (changed.gtin === undefined) return;
            const g = toGtin14(changed.gtin);
            const known = "gtin" in g && products.data?.products.find((p) => p.gtin === g.gtin);
            if (known && known.brand) form.setFieldsValue({ brand: known.brand, name: known.name ?? "" });
          }}
        >
          <Form.Item
            name="gtin"
            label={t("mfr.gtin")}
            extra={t("mfr.mint.gtin.help")}
            rules={[
              {
                validator: async (_r, value: string | undefined) => {
                  const g = toGtin14(value ?? "");
                  if ("error" in g) {
                    if (g.error === "digits") throw new Error(t("mfr.mint.gtin.digits"));
                    throw new Error(t("mfr.mint.gtin.check", { expected: g.expected, got: g.got }));
                  }
                  if (!prefixOf(g.gtin, verified))
                    throw new Error(t("mfr.mint.gtin.prefix", { prefixes: verified.join("、") }));
                },
              },
            ]}
          >
            <AutoComplete options={options} style={{ maxWidth: 360 }}>
              <Input inputMode="numeric" autoComplete="off" aria-label={t("mfr.gtin")} />
            </AutoComplete>
          </Form.Item>
          <Space wrap size="middle" align="start">
            <Form.Item
              name="count"
              label={t("mfr.mint.count")}
              rules={[{ required: true, type: "integer", min: 1, max: 10_000, message: t("mfr.mint.count.invalid") }]}
            >
              <InputNumber min={1} max={10_000} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item
              name="lot"
              label={t("mfr.mint.lot")}
              rules={[{ required: true, pattern: LOT, message: t("mfr.mint.lot.invalid") }]}
            >
              <Input autoComplete="off" maxLength={20} style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="productionDate" label={t("mfr.mint.date")} rules={[{ required: true }]}>
              <Input type="date" style={{ width: 170 }} />
            </Form.Item>
          </Space>
          <Form.Item
            name="brand"
            label={t("mfr.brand")}
            rules={[{ required: true, whitespace: true, max: 60, message: t("mfr.mint.brand.required") }]}
          >
            <Input autoComplete="off" maxLength={60} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t("mfr.productName")}
            rules={[{ required: true, whitespace: true, max: 120, message: t("mfr.mint.name.required") }]}
          >
            <Input autoComplete="off" maxLength={120} />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="mint-error" />}
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t("mfr.mint.submit")}
          </Button>
        </Form>
      </Card>
    </ConfigProvider>
  );
}
