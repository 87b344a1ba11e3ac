/**
 * Recalls for the brand owner: start one over a lot, a whole GTIN or a serial range, and follow each one's progress —
 * units located, returned, replaced, unreachable; holders and installations reached (the VIN stays encrypted).
 */
import {
  Button,
  Card,
  Col,
  Collapse,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Radio,
  Row,
  Space,
  Statistic,
  Typography,
} from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, useAction } from "../common/kit";
import { RecallUnits } from "./RecallUnits";
import type { Recall } from "./types";

export default function Recalls() {
  const t = useT();
  const [starting, setStarting] = useState(false);
  const list = useApi(
    () =>
      answer<{ recalls: Recall[] }>(api.GET("/api/v1/recalls", { params: { query: { limit: 50 } } } as never)).then(
        (r) => r.recalls,
      ),
    [],
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="recalls">
      <Can perm="recall:create">
        <Button type="primary" onClick={() => setStarting(true)}>
          {t("rc.start")}
        </Button>
      </Can>
      {list.error ? <LoadError state={list} /> : null}
      {!list.loading && !list.error && !list.data?.length ? <Empty description={t("rc.none")} /> : null}
      {(list.data ?? []).map((r) => (
        <RecallCard key={r.id} r={r} onClosed={list.reload} />
      ))}
      {starting ? (
        <StartRecall
          onClose={() => setStarting(false)}
          onDone={() => {
            setStarting(false);
            list.reload();
          }}
        />
      ) : null}
    </Space>
  );
}

function RecallCard({ r, onClosed }: { r: Recall; onClosed(): void }) {
  const t = useT();
  const { run, busy } = useAction();
  const close = async () => {
    const ok = await run(
      "close",
      () => answer(api.POST("/api/v1/recalls/{id}/close", { params: { path: { id: r.id } } } as never)),
      t("rc.closed"),
    );
    if (ok) onClosed();
  };
  const p = useApi(
    () => answer<Recall>(api.GET("/api/v1/recalls/{id}", { params: { path: { id: r.id } } } as never)),
    [r.id],
  );
  const pr = p.data?.progress;
  const scope = r.serialFrom
    ? `${r.serialFrom} – ${r.serialTo}`
    : r.lot
      ? `${t("rc.lot")} ${r.lot}`
      : t("rc.wholeGtin");
  const done = pr ? pr.returned + pr.replaced : 0;
  return (
    <Card
      size="small"
      data-testid="recall-row"
      title={`${r.gtin} · ${scope}`}
      extra={
        <Space>
          <StatusTag status={r.status} />
          {r.status === "open" ? (
            <Can perm="recall:edit">
              <Popconfirm title={t("rc.closeConfirm")} onConfirm={() => void close()}>
                <Button size="small" loading={busy === "close"} data-testid="recall-close">
                  {t("rc.close")}
                </Button>
              </Popconfirm>
            </Can>
          ) : null}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {r.reason} · <DateTime at={r.createdAt} />
      </Typography.Paragraph>
      {pr ? (
        <>
          <Progress
            percent={r.units ? Math.round((done / r.units) * 100) : 0}
            aria-label={t("rc.progress")}
            size="small"
          />
          <Row gutter={8}>
            {(["located", "returned", "replaced", "unreachable"] as const).map((k) => (
              <Col xs={12} sm={6} key={k}>
                <Statistic title={t(`rc.${k}` as never)} value={pr[k]} />
              </Col>
            ))}
          </Row>
          <Typography.Text type="secondary">
            {t("rc.reach", { units: r.units, holders: p.data?.holders ?? 0, installed: p.data?.installed ?? 0 })}
          </Typography.Text>
        </>
      ) : null}
      <Collapse
        size="small"
        style={{ marginTop: 8 }}
        items={[
          {
            key: "units",
            label: t("rc.units"),
            children: <RecallUnits id={r.id} editable={r.status === "open"} onChanged={p.reload} />,
          },
        ]}
      />
    </Card>
  );
}

function StartRecall({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const t = useT();
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const scope = (Form.useWatch("scope", form) as string | undefined) ?? "lot";
  const finish = async (v: {
    gtin: string;
    scope: string;
    lot?: string;
    from?: string;
    to?: string;
    reason: string;
  }) => {
    const body = {
      gtin: v.gtin,
      reason: v.reason,
      ...(v.scope === "lot" ? { lot: v.lot } : {}),
      ...(v.scope === "range" ? { serials: { from: v.from, to: v.to } } : {}),
    };
    const ok = await run("start", () => answer(api.POST("/api/v1/recalls", { body } as never)), t("rc.started"), form);
    if (ok) onDone();
  };
  return (
    <Modal
      open
      title={t("rc.start")}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy !== null}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="recall" onFinish={finish} initialValues={{ scope: "lot" }}>
        <Form.Item name="gtin" label="GTIN" rules={[{ required: true, pattern: /^\d{14}$/ }]}>
          <Input inputMode="numeric" maxLength={14} />
        </Form.Item>
        <Form.Item name="scope" label={t("rc.scope")}>
          <Radio.Group
            options={[
              { value: "lot", label: t("rc.lot") },
              { value: "gtin", label: t("rc.wholeGtin") },
              { value: "range", label: t("rc.range") },
            ]}
          />
        </Form.Item>
        {scope === "lot" ? (
          <Form.Item name="lot" label={t("rc.lot")} rules={[{ required: true }]}>
            <Input maxLength={20} />
          </Form.Item>
        ) : null}
        {scope === "range" ? (
          <Flex gap={8}>
            <Form.Item name="from" label={t("rc.from")} rules={[{ required: true }]}>
              <Input maxLength={20} />
            </Form.Item>
            <Form.Item name="to" label={t("rc.to")} rules={[{ required: true }]}>
              <Input maxLength={20} />
            </Form.Item>
          </Flex>
        ) : null}
        <Form.Item name="reason" label={t("rc.reason")} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
