/** GS1 company prefixes: register mine with its licence reference; see each one pending, verified or rejected (with the reason). */
import { Alert, ConfigProvider, App, Button, Card, Form, Input, Skeleton, Space, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { EmptyText, FORM_THEME, tagStyle, type Gs1Prefix, type Prefixes as PrefixList } from "./shared";

const STATUS_COLOR = { submitted: "gold", verified: "green", rejected: "red" } as const;
const POLL_MS = 5_000;

export default function Prefixes() {
  const t = useT();
  const { message } = App.useApp();
  const list = useApi(() => answer<PrefixList>(api.GET("/api/v1/gs1-prefixes")), []);
  const [form] = Form.useForm<{ prefix: string; licenceRef: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const pending = list.data?.prefixes.some((p) => p.status === "submitted") ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(list.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [pending, list.reload]);

  const register = async (v: { prefix: string; licenceRef: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const p = await answer<Gs1Prefix>(
        api.POST("/api/v1/gs1-prefixes", { body: { prefix: v.prefix.trim(), licenceRef: v.licenceRef.trim() } }),
      );
      void message.success(t("mfr.prefix.registered", { prefix: p.prefix }));
      form.resetFields();
      list.reload();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Can perm="gs1_prefix:create">
        <ConfigProvider theme={FORM_THEME}>
          <Card title={t("mfr.prefix.register")} size="small">
            <Form form={form} layout="vertical" name="prefix" onFinish={register} requiredMark={false}>
              <Form.Item
                name="prefix"
                label={t("mfr.prefix.prefix")}
                extra={t("mfr.prefix.prefix.help")}
                rules={[{ required: true, pattern: /^\s*\d{6,12}\s*$/, message: t("mfr.prefix.prefix.invalid") }]}
              >
                <Input inputMode="numeric" autoComplete="off" maxLength={14} style={{ maxWidth: 260 }} />
              </Form.Item>
              <Form.Item
                name="licenceRef"
                label={t("mfr.prefix.licence")}
                extra={t("mfr.prefix.licence.help")}
                rules={[
                  { required: true, min: 3, max: 80, whitespace: true, message: t("mfr.prefix.licence.invalid") },
                ]}
              >
                <Input autoComplete="off" style={{ maxWidth: 360 }} />
              </Form.Item>
              {error && (
                <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="prefix-error" />
              )}
              <Button type="primary" htmlType="submit" loading={busy}>
                {t("mfr.prefix.register")}
              </Button>
            </Form>
          </Card>
        </ConfigProvider>
      </Can>
      {list.error ? (
        <Alert
          type="error"
          showIcon
          title={errorText(t, list.error)}
          action={<Button onClick={list.reload}>{t("app.retry")}</Button>}
        />
      ) : !list.data ? (
        <Skeleton active />
      ) : (
        <>
          {pending && <Alert type="info" showIcon title={t("mfr.prefix.pendingHint")} />}
          <Table<Gs1Prefix>
            data-testid="prefixes"
            rowKey="id"
            size="small"
            pagination={false}
            scroll={list.data.prefixes.length ? { x: "max-content" } : undefined}
            dataSource={list.data.prefixes}
            locale={{ emptyText: <EmptyText text={t("mfr.prefix.empty")} /> }}
            columns={[
              {
                title: t("mfr.prefix.prefix"),
                dataIndex: "prefix",
                render: (p: string) => (
                  <Typography.Text strong copyable>
                    {p}
                  </Typography.Text>
                ),
              },
              { title: t("mfr.prefix.licence"), dataIndex: "licenceRef" },
              {
                title: t("mfr.prefix.status"),
                dataIndex: "status",
                render: (s: Gs1Prefix["status"], p) => (
                  <Space direction="vertical" size={0}>
                    <Tag
                      color={STATUS_COLOR[s]}
                      style={tagStyle(STATUS_COLOR[s])}
                      data-testid={`prefix-status-${p.prefix}`}
                      data-status={s}
                    >
                      {t(`mfr.prefix.status.${s}`)}
                    </Tag>
                    {p.reason && (
                      <Typography.Text type="danger">
                        {t("mfr.prefix.reason")}：{p.reason}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                title: t("mfr.prefix.submittedAt"),
                dataIndex: "submittedAt",
                render: (d: string) => <DateTime at={d} />,
              },
              {
                title: t("mfr.prefix.decidedAt"),
                dataIndex: "decidedAt",
                render: (d: string | null) => <DateTime at={d} />,
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}
