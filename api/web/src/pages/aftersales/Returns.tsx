/**
 * Returns for both sides (issue 16): a buyer requests a return of an order line or serial with its reason and photos
 * and follows it; a seller authorises (in part) or refuses, receives, inspects and resolves, with the overdue list.
 * A refused return can be disputed from here. Every button shows only with the permission the API checks.
 */
import {
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Space,
  Typography,
  Upload,
} from "antd";
import type { UploadFile } from "antd";
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { answer, api, useApi } from "../../api/client";
import { Can, useCurrent } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, useAction } from "../common/kit";
import { Photo, uploadPhotos } from "./Photo";
import { REASONS, type ReturnRow } from "./types";

type Step =
  "authorised" | "partially_authorised" | "refused" | "shipped_back" | "received" | "inspected" | "resolved" | "closed";

/** The steps the caller's side may take from a status (the API's table, DECISIONS 80). */
function stepsFor(r: ReturnRow, me: string | null): Step[] {
  const seller = r.sellerId === me;
  const requester = r.requesterId === me;
  const out: Step[] = [];
  if (seller && r.status === "requested") out.push("authorised", "partially_authorised", "refused");
  if (requester && (r.status === "authorised" || r.status === "partially_authorised")) out.push("shipped_back");
  if (seller && r.status === "shipped_back") out.push("received");
  if (seller && r.status === "received") out.push("inspected");
  if (seller && r.status === "inspected") out.push("resolved");
  if ((seller || requester) && (r.status === "refused" || r.status === "resolved")) out.push("closed");
  return out;
}

export default function Returns() {
  const t = useT();
  const navigate = useNavigate();
  const { me } = useCurrent();
  const { run, busy } = useAction();
  const [view, setView] = useState<"all" | "overdue">("all");
  // From an order's page (申请退货 on a delivered line): the request form opens prefilled with the order and line.
  const [params, setParams] = useSearchParams();
  const prefill = params.get("order")
    ? {
        orderId: params.get("order")!,
        lineNo: Number(params.get("line") ?? 1) || 1,
        quantity: Number(params.get("quantity") ?? 1) || 1,
      }
    : undefined;
  const [asking, setAsking] = useState(prefill !== undefined);
  const [stepping, setStepping] = useState<{ r: ReturnRow; to: Step } | null>(null);
  const [disputing, setDisputing] = useState<ReturnRow | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const list = useApi(
    () =>
      answer<{ returns: ReturnRow[] }>(
        api.GET("/api/v1/returns", { params: { query: { limit: 100, overdue: String(view === "overdue") } } } as never),
      ).then((r) => r.returns),
    [view],
  );
  const detail = useApi(
    () =>
      open
        ? answer<ReturnRow>(api.GET("/api/v1/returns/{id}", { params: { path: { id: open } } } as never))
        : Promise.resolve(null),
    [open],
  );
  const move = async (r: ReturnRow, to: Step, body: Record<string, unknown> = {}) => {
    const ok = await run(
      `${r.id}:${to}`,
      () =>
        answer(
          api.POST("/api/v1/returns/{id}/status", { params: { path: { id: r.id } }, body: { to, ...body } } as never),
        ),
      t("as.done"),
    );
    if (ok) {
      setStepping(null);
      list.reload();
      if (open === r.id) detail.reload();
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="returns">
      <Flex justify="space-between" wrap gap={8}>
        <Segmented
          aria-label={t("as.view")}
          value={view}
          onChange={(v) => setView(v as "all" | "overdue")}
          options={[
            { value: "all", label: t("as.all") },
            { value: "overdue", label: t("as.overdue") },
          ]}
        />
        <Can perm="return:create" kinds={["distributor", "repair_shop"]}>
          <Button type="primary" onClick={() => setAsking(true)}>
            {t("as.request")}
          </Button>
        </Can>
      </Flex>
      {list.error ? <LoadError state={list} /> : null}
      {!list.loading && !list.error && !list.data?.length ? <Empty description={t("as.none")} /> : null}
      {(list.data ?? []).map((r) => (
        <Card key={r.id} size="small" data-testid="return-row" data-return={r.id}>
          <Flex justify="space-between" wrap gap={8}>
            <Flex vertical gap={2}>
              <Typography.Text strong>
                {t(`as.reason.${r.reason}` as never)} · <Money fen={r.unitPriceFen * r.quantity} />
              </Typography.Text>
              <Typography.Text type="secondary">
                {r.id} · {r.orderId} #{r.lineNo} · {r.serial ?? t("as.qty", { n: r.quantity })}
              </Typography.Text>
              <Typography.Text type="secondary">
                {r.sellerId === me.companyId ? t("as.iSold") : t("as.iAsked")} · <DateTime at={r.createdAt} />
              </Typography.Text>
            </Flex>
            <Flex gap={8} align="center" wrap>
              <StatusTag status={r.status} />
              <Button onClick={() => setOpen(r.id)}>{t("as.details")}</Button>
              <Can perm="return:edit">
                {stepsFor(r, me.companyId).map((to) => (
                  <Button
                    key={to}
                    loading={busy === `${r.id}:${to}`}
                    onClick={() => (to === "authorised" || to === "closed" ? void move(r, to) : setStepping({ r, to }))}
                  >
                    {t(`as.step.${to}` as never)}
                  </Button>
                ))}
              </Can>
              {r.requesterId === me.companyId && (r.status === "refused" || r.authorisedQuantity !== null) ? (
                <Can perm="dispute:create">
                  {r.status === "refused" || (r.authorisedQuantity ?? r.quantity) < r.quantity ? (
                    <Button danger onClick={() => setDisputing(r)}>
                      {t("as.dispute")}
                    </Button>
                  ) : null}
                </Can>
              ) : null}
            </Flex>
          </Flex>
        </Card>
      ))}
      {asking ? (
        <RequestReturn
          initial={prefill}
          onClose={() => {
            setAsking(false);
            if (prefill) setParams({}, { replace: true });
          }}
          onDone={() => {
            setAsking(false);
            if (prefill) setParams({}, { replace: true });
            list.reload();
          }}
        />
      ) : null}
      {stepping ? (
        <StepDialog
          r={stepping.r}
          to={stepping.to}
          busy={busy !== null}
          onClose={() => setStepping(null)}
          onSubmit={(body) => void move(stepping.r, stepping.to, body)}
        />
      ) : null}
      {disputing ? (
        <OpenDispute
          r={disputing}
          onClose={() => setDisputing(null)}
          onDone={(id) => void navigate(`/disputes/${id}`)}
        />
      ) : null}
      <Modal open={open !== null} title={t("as.details")} onCancel={() => setOpen(null)} footer={null} width={640}>
        {detail.data ? <ReturnDetail r={detail.data} reload={detail.reload} /> : null}
      </Modal>
    </Space>
  );
}

function ReturnDetail({ r, reload }: { r: ReturnRow; reload(): void }) {
  const t = useT();
  const { run, busy } = useAction();
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="return-detail">
      <Typography.Text>
        <StatusTag status={r.status} /> {t(`as.reason.${r.reason}` as never)} · {r.note ?? "—"}
      </Typography.Text>
      {r.refund ? (
        <Typography.Text type="success">
          {t("as.refunded")} <Money fen={r.refund.amountFen} />
        </Typography.Text>
      ) : null}
      <Card size="small" title={t("as.history")}>
        {(r.history ?? []).map((h, i) => (
          <div key={i}>
            <DateTime at={h.at} /> · <StatusTag status={h.to} /> {h.note ?? ""}
          </div>
        ))}
      </Card>
      <Card size="small" title={t("as.photos")}>
        <Flex gap={8} wrap>
          {(r.photos ?? []).map((p) => (
            <Photo key={p.id} returnId={r.id} photoId={p.id} />
          ))}
          {!r.photos?.length ? <Typography.Text type="secondary">—</Typography.Text> : null}
        </Flex>
        {r.status !== "closed" ? (
          <Can perm="return:edit">
            <Flex gap={8} style={{ marginTop: 8 }} wrap>
              <Upload
                accept="image/jpeg,image/png,image/webp"
                multiple
                fileList={files}
                beforeUpload={(f) => {
                  setFiles((l) => [...l, f as unknown as UploadFile]);
                  return false;
                }}
                onRemove={(f) => setFiles((l) => l.filter((x) => x.uid !== f.uid))}
              >
                <Button>{t("as.pickPhotos")}</Button>
              </Upload>
              <Button
                disabled={!files.length}
                loading={busy === "photos"}
                onClick={async () => {
                  const n = await run(
                    "photos",
                    () => uploadPhotos(r.id, files as unknown as File[]),
                    (k) => t("as.photosAdded", { n: k }),
                  );
                  if (n !== undefined) {
                    setFiles([]);
                    reload();
                  }
                }}
              >
                {t("as.uploadPhotos")}
              </Button>
            </Flex>
          </Can>
        ) : null}
      </Card>
    </Space>
  );
}

function RequestReturn({
  initial,
  onClose,
  onDone,
}: {
  initial?: { orderId: string; lineNo: number; quantity: number } | undefined;
  onClose(): void;
  onDone(): void;
}) {
  const t = useT();
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const orders = useApi(
    () =>
      answer<{ orders: Array<{ id: string; status: string; createdAt: string }> }>(
        api.GET("/api/v1/orders", { params: { query: { limit: 100 } } } as never),
      ).then((o) => o.orders.filter((x) => ["shipped", "delivered", "completed"].includes(x.status))),
    [],
  );
  const submit = async (v: {
    orderId: string;
    lineNo: number;
    serial?: string;
    gtin?: string;
    quantity?: number;
    reason: string;
    note?: string;
  }) => {
    const body = {
      orderId: v.orderId,
      lineNo: v.lineNo,
      reason: v.reason,
      ...(v.serial && v.gtin ? { part: { gtin: v.gtin, serial: v.serial } } : { quantity: v.quantity ?? 1 }),
      ...(v.note ? { note: v.note } : {}),
    };
    const made = await run(
      "request",
      async () => {
        const r = await answer<ReturnRow>(api.POST("/api/v1/returns", { body } as never));
        if (files.length) await uploadPhotos(r.id, files as unknown as File[]);
        return r;
      },
      t("as.requested"),
      form,
    );
    if (made) onDone();
  };
  return (
    <Modal
      open
      title={t("as.request")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("as.submit")}
      confirmLoading={busy !== null}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="return"
        onFinish={submit}
        initialValues={{ lineNo: 1, quantity: 1, ...initial }}
      >
        <Form.Item name="orderId" label={t("as.order")} rules={[{ required: true }]}>
          <Select
            loading={orders.loading}
            options={(orders.data ?? []).map((o) => ({ value: o.id, label: o.id }))}
            showSearch
          />
        </Form.Item>
        <Form.Item name="lineNo" label={t("as.line")} rules={[{ required: true }]}>
          <InputNumber min={1} max={200} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="gtin" label="GTIN" extra={t("as.serialHint")}>
          <Input inputMode="numeric" maxLength={14} />
        </Form.Item>
        <Form.Item name="serial" label={t("as.serial")}>
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="quantity" label={t("as.quantity")}>
          <InputNumber min={1} max={100000} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="reason" label={t("as.reasonLabel")} rules={[{ required: true }]}>
          <Select options={REASONS.map((r) => ({ value: r, label: t(`as.reason.${r}` as never) }))} />
        </Form.Item>
        <Form.Item name="note" label={t("as.note")}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
        <Form.Item label={t("as.photos")}>
          <Upload
            accept="image/jpeg,image/png,image/webp"
            multiple
            fileList={files}
            beforeUpload={(f) => {
              setFiles((l) => [...l, f as unknown as UploadFile]);
              return false;
            }}
            onRemove={(f) => setFiles((l) => l.filter((x) => x.uid !== f.uid))}
          >
            <Button>{t("as.pickPhotos")}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function StepDialog({
  r,
  to,
  busy,
  onClose,
  onSubmit,
}: {
  r: ReturnRow;
  to: Step;
  busy: boolean;
  onClose(): void;
  onSubmit(body: Record<string, unknown>): void;
}) {
  const t = useT();
  const [form] = Form.useForm();
  const finish = (v: Record<string, unknown>) => {
    const body: Record<string, unknown> = { ...v };
    if (to === "received" && r.serial) {
      body.part = { gtin: r.gtin, serial: v.serial };
      delete body.serial;
    }
    for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === "") delete body[k];
    onSubmit(body);
  };
  return (
    <Modal
      open
      title={t(`as.step.${to}` as never)}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="step" onFinish={finish} initialValues={{ serial: r.serial ?? "" }}>
        {to === "partially_authorised" ? (
          <Form.Item name="quantity" label={t("as.quantity")} rules={[{ required: true }]}>
            <InputNumber min={1} max={r.quantity - 1} style={{ width: "100%" }} />
          </Form.Item>
        ) : null}
        {to === "shipped_back" ? (
          <>
            <Form.Item name="carrier" label={t("as.carrier")} rules={[{ required: true }]}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="trackingNo" label={t("as.trackingNo")} rules={[{ required: true }]}>
              <Input maxLength={40} />
            </Form.Item>
          </>
        ) : null}
        {to === "received" && r.serial ? (
          <Form.Item name="serial" label={t("as.scannedSerial")} rules={[{ required: true }]}>
            <Input maxLength={20} />
          </Form.Item>
        ) : null}
        {to === "inspected" ? (
          <Form.Item name="inspection" label={t("as.inspection")} rules={[{ required: true }]}>
            <Select
              options={["sellable", "damaged", "defective_confirmed"].map((v) => ({
                value: v,
                label: t(`as.inspection.${v}` as never),
              }))}
            />
          </Form.Item>
        ) : null}
        {to === "resolved" ? (
          <Form.Item name="resolution" label={t("as.resolution")} rules={[{ required: true }]}>
            <Select
              options={["refund", "replacement", "repair", "refusal"].map((v) => ({
                value: v,
                label: t(`as.resolution.${v}` as never),
              }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label={t("as.note")} rules={[{ required: to === "refused" }]}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function OpenDispute({ r, onClose, onDone }: { r: ReturnRow; onClose(): void; onDone(id: string): void }) {
  const t = useT();
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const finish = async (v: { reason: string }) => {
    const d = await run(
      "dispute",
      () =>
        answer<{ id: string }>(api.POST("/api/v1/disputes", { body: { returnId: r.id, reason: v.reason } } as never)),
      t("as.disputeOpened"),
      form,
    );
    if (d) onDone(d.id);
  };
  return (
    <Modal
      open
      title={t("as.dispute")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("as.submit")}
      confirmLoading={busy !== null}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("as.disputeHint")}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="dispute" onFinish={finish}>
        <Form.Item name="reason" label={t("as.disputeReason")} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea maxLength={1000} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
