import { PlusOutlined, QrcodeOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Drawer,
  Form,
  InputNumber,
  List,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { ScanInput } from "../../widgets/ScanInput";
import { CartonLabel } from "./CartonLabel";
import { partRef, type PartRef } from "./codes";
import type { CartonList, CartonView, HeldSerials, Receivers } from "./types";

/** Cartons I sent and received (GET /dispatches), their labels, and sending a new one (POST /dispatches). */
export default function Cartons() {
  const t = useT();
  const [direction, setDirection] = useState<"outgoing" | "incoming">("outgoing");
  const [sending, setSending] = useState(false);
  const [label, setLabel] = useState<CartonView>();
  const list = useApi(
    () => answer<CartonList>(api.GET("/api/v1/dispatches", { params: { query: { direction } } } as never)),
    [direction],
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <Segmented
          aria-label={t("menu.cartons")}
          value={direction}
          onChange={(v) => setDirection(v as typeof direction)}
          options={[
            { value: "outgoing", label: t("carton.outgoing") },
            { value: "incoming", label: t("carton.incoming") },
          ]}
        />
        <Can perm="dispatch:create">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setSending(true)}>
            {t("carton.send")}
          </Button>
        </Can>
      </Space>
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Table<CartonView>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.dispatches ?? []}
        locale={{ emptyText: t("carton.empty") }}
        scroll={{ x: true }}
        columns={[
          {
            title: t("carton.code"),
            key: "code",
            render: (_, c) => <Typography.Text code>{c.sscc ?? c.id}</Typography.Text>,
          },
          direction === "outgoing"
            ? { title: t("carton.to"), key: "to", render: (_, c) => c.to.name }
            : { title: t("carton.from"), key: "from", render: (_, c) => c.from.name },
          { title: t("carton.parts"), dataIndex: "partCount", align: "right" },
          {
            title: t("carton.status"),
            dataIndex: "status",
            render: (s: CartonView["status"]) => (
              <Tag color={s === "received" ? "#135200" : "#874d00"}>{t(`carton.status.${s}`)}</Tag>
            ),
          },
          { title: t("carton.sentAt"), dataIndex: "createdAt", render: (at: string) => <DateTime at={at} /> },
          {
            title: t("carton.label"),
            key: "label",
            render: (_, c) => (
              <Button
                size="small"
                icon={<QrcodeOutlined />}
                aria-label={`${t("carton.label")} ${c.sscc ?? c.id}`}
                onClick={() => setLabel(c)}
              />
            ),
          },
        ]}
      />
      {sending && (
        <SendCarton
          onClose={() => setSending(false)}
          onSent={(c) => {
            setSending(false);
            setDirection("outgoing");
            list.reload();
            setLabel(c);
          }}
        />
      )}
      {label && <CartonLabel carton={label} onClose={() => setLabel(undefined)} />}
    </Space>
  );
}

function SendCarton({ onClose, onSent }: { onClose(): void; onSent(c: CartonView): void }) {
  const t = useT();
  const { message } = App.useApp();
  const receivers = useApi(() => answer<Receivers>(api.GET("/api/v1/companies/receivers")), []);
  const [to, setTo] = useState<string>();
  const [parts, setParts] = useState<PartRef[]>([]);
  const [sku, setSku] = useState<number | null>(null);
  const [qty, setQty] = useState<number | null>(1);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const add = (more: PartRef[]) =>
    setParts((have) => {
      const seen = new Set(have.map((p) => `${p.gtin}/${p.serial}`));
      return [...have, ...more.filter((p) => !seen.has(`${p.gtin}/${p.serial}`))];
    });
  /** A scan only adds a line, and only a part my company holds now (not shipped, not installed). */
  const scan = async (code: string) => {
    const p = partRef(code);
    if (!p) return setError(t("carton.badPart", { code }));
    setError(undefined);
    if (parts.some((q) => q.gtin === p.gtin && q.serial === p.serial)) return void message.warning(t("carton.dup"));
    try {
      const r = await answer<{ held: boolean }>(
        api.GET("/api/v1/inventory/serials/{gtin}/{serial}", {
          params: { path: { gtin: p.gtin, serial: p.serial } },
        } as never),
      );
      if (!r.held) return setError(t("carton.notHeld", { gtin: p.gtin, serial: p.serial }));
      add([p]);
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const bySku = async () => {
    if (!sku || !qty) return;
    setError(undefined);
    try {
      const held = await answer<HeldSerials>(
        api.GET("/api/v1/inventory/serials", { params: { query: { skuId: sku, limit: qty + parts.length } } } as never),
      );
      const taken = new Set(parts.map((p) => `${p.gtin}/${p.serial}`));
      const free = held.serials.filter((p) => !taken.has(`${p.gtin}/${p.serial}`)).slice(0, qty);
      if (free.length < qty) setError(t("carton.notEnough", { n: free.length }));
      add(free.map(({ gtin, serial }) => ({ gtin, serial })));
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const submit = async () => {
    if (!to || parts.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await answer<{ id: string; sscc: string | null; labelCode: string; dispatched: number }>(
        api.POST("/api/v1/dispatches", { body: { to, parts } } as never),
      );
      const receiver = receivers.data?.companies.find((c) => c.id === to);
      message.success(t("carton.sent", { n: r.dispatched, code: r.sscc ?? r.id }));
      onSent({
        id: r.id,
        sscc: r.sscc,
        labelCode: r.labelCode,
        from: { id: "", name: t("carton.from") },
        to: { id: to, name: receiver?.name ?? to },
        locationId: "WAREHOUSE",
        partCount: r.dispatched,
        status: "in_transit",
        createdAt: new Date().toISOString(),
        receivedAt: null,
      });
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer open title={t("carton.send")} onClose={onClose} size="large" destroyOnHidden>
      <Form layout="vertical">
        <Form.Item label={t("carton.receiver")} required htmlFor="carton-receiver">
          <Select
            id="carton-receiver"
            showSearch={{ optionFilterProp: "label" }}
            loading={receivers.loading}
            value={to}
            onChange={setTo}
            options={(receivers.data?.companies ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item label={t("carton.scanParts")}>
          <ScanInput onScan={(c) => void scan(c)} label={t("carton.scanParts")} autoFocus={false} />
        </Form.Item>
        <Can perm="inventory:view">
          <Form.Item label={t("carton.addBySku")}>
            <Space.Compact>
              <InputNumber
                aria-label={t("carton.sku")}
                placeholder={t("carton.sku")}
                min={1}
                value={sku}
                onChange={setSku}
              />
              <InputNumber aria-label={t("carton.quantity")} min={1} max={5000} value={qty} onChange={setQty} />
              <Button onClick={bySku}>{t("carton.add")}</Button>
            </Space.Compact>
          </Form.Item>
        </Can>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Space style={{ marginBottom: 8 }}>
          <Typography.Text strong data-testid="carton-picked">
            {t("carton.picked", { n: parts.length })}
          </Typography.Text>
          {parts.length > 0 && (
            <Button size="small" onClick={() => setParts([])}>
              {t("carton.clear")}
            </Button>
          )}
        </Space>
        <List
          size="small"
          bordered
          style={{ maxHeight: 240, overflow: "auto", marginBottom: 16 }}
          dataSource={parts.slice(-50).reverse()}
          renderItem={(p) => (
            <List.Item>
              <Typography.Text code>
                {p.gtin} · {p.serial}
              </Typography.Text>
            </List.Item>
          )}
        />
        <Button
          type="primary"
          htmlType="button"
          onClick={submit}
          block
          loading={busy}
          disabled={!to || parts.length === 0}
        >
          {t("carton.submit", { n: parts.length })}
        </Button>
      </Form>
    </Drawer>
  );
}
