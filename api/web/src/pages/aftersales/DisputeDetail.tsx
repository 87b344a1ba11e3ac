/**
 * One dispute: the return it is about, the evidence timeline (the return's history, photos, the serial's ledger
 * events, messages from both sides and the platform), and the next steps the caller may take — a platform person
 * takes it and proposes an outcome; a second platform person approves or rejects the proposal (the two-person rule,
 * the shared approvals); the requester may withdraw; the seller may concede the claim or part of it before a proposal
 * is filed, which settles at once (DECISIONS 119). Buttons show only with the permission and side that allow them.
 */
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { useParams } from "react-router";
import { answer, api, useApi } from "../../api/client";
import { Can, useCurrent } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, useAction } from "../common/kit";
import { Photo } from "./Photo";
import type { DisputeRow, TimelineItem } from "./types";

export default function DisputeDetail() {
  const t = useT();
  const { id = "" } = useParams();
  const { me } = useCurrent();
  const { run, busy } = useAction();
  const [proposing, setProposing] = useState(false);
  const [conceding, setConceding] = useState(false);
  const [message] = Form.useForm();
  const d = useApi(
    () => answer<DisputeRow>(api.GET("/api/v1/disputes/{id}", { params: { path: { id } } } as never)),
    [id],
  );
  if (d.error) return <LoadError state={d} />;
  if (!d.data) return null;
  const x = d.data;
  const sides = x.sides ?? [];
  const platform = sides.includes("platform");
  const step = async (to: string, body: Record<string, unknown> = {}) => {
    const ok = await run(
      to,
      () =>
        answer(api.POST("/api/v1/disputes/{id}/status", { params: { path: { id } }, body: { to, ...body } } as never)),
      to === "settled" ? t("ds.concededToast") : t("as.done"),
    );
    if (ok) {
      setProposing(false);
      setConceding(false);
      d.reload();
    }
    return ok;
  };
  const decide = async (verb: "approve" | "reject") => {
    const ok = await run(
      verb,
      () =>
        answer(
          api.POST(
            `/api/v1/approvals/{id}/${verb}` as "/api/v1/approvals/{id}/approve",
            {
              params: { path: { id: x.approvalId! } },
              body: {},
            } as never,
          ),
        ),
      verb === "approve" ? t("ds.settledToast") : t("as.done"),
    );
    if (ok) d.reload();
  };
  const proposer = x.proposal?.by === me.id;
  const open = x.status !== "settled" && x.status !== "withdrawn";
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="dispute-detail">
      <Card size="small" title={`${t("ds.dispute")} ${x.id}`} extra={<StatusTag status={x.status} />}>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t("ds.claim")}>
            <Money fen={x.claimFen} />
          </Descriptions.Item>
          <Descriptions.Item label={t("ds.max")}>
            <Money fen={x.maxFen} />
          </Descriptions.Item>
          <Descriptions.Item label={t("ds.return")}>
            {x.return?.id} · {x.return?.orderId} #{x.return?.lineNo}
          </Descriptions.Item>
          <Descriptions.Item label={t("as.serial")}>{x.return?.serial ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("ds.refusal")}>{x.return?.refusal ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("ds.reason")}>{x.reason}</Descriptions.Item>
          {x.outcome ? (
            <Descriptions.Item label={t("ds.outcome")}>
              <span data-testid="dispute-outcome">
                {t(`ds.outcome.${x.outcome}` as never)} · <Money fen={x.outcomeFen ?? 0} />
              </span>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      {x.proposal && x.status === "proposed" ? (
        <Alert
          type="info"
          showIcon
          data-testid="dispute-proposal"
          title={t("ds.proposalLine", {
            outcome: t(`ds.outcome.${x.proposal.outcome}` as never),
            amount: (x.proposal.amountFen / 100).toFixed(2),
          })}
          description={
            proposer ? t("ds.waitSecond") : x.approvalStatus === "submitted" ? t("ds.youDecide") : x.approvalStatus
          }
          action={
            platform && !proposer && x.approvalStatus === "submitted" ? (
              <Can perm="dispute:approve">
                <Space>
                  <Button type="primary" loading={busy === "approve"} onClick={() => void decide("approve")}>
                    {t("ds.approve")}
                  </Button>
                  <Button danger loading={busy === "reject"} onClick={() => void decide("reject")}>
                    {t("ds.reject")}
                  </Button>
                </Space>
              </Can>
            ) : undefined
          }
        />
      ) : null}
      <Flex gap={8} wrap>
        {platform && x.status === "open" ? (
          <Can perm="dispute:edit">
            <Button type="primary" loading={busy === "under_review"} onClick={() => void step("under_review")}>
              {t("ds.take")}
            </Button>
          </Can>
        ) : null}
        {platform && x.status === "proposed" && x.approvalStatus !== "submitted" ? (
          <Can perm="dispute:edit">
            <Button onClick={() => void step("under_review")}>{t("ds.backToReview")}</Button>
          </Can>
        ) : null}
        {platform && x.status === "under_review" ? (
          <Can perm="dispute:submit">
            <Button type="primary" onClick={() => setProposing(true)}>
              {t("ds.propose")}
            </Button>
          </Can>
        ) : null}
        {sides.includes("seller") && (x.status === "open" || x.status === "under_review") ? (
          <Can perm="dispute:edit">
            <Button data-testid="dispute-concede" onClick={() => setConceding(true)}>
              {t("ds.concede")}
            </Button>
          </Can>
        ) : null}
        {sides.includes("requester") && (x.status === "open" || x.status === "under_review") ? (
          <Can perm="dispute:edit">
            <Button danger loading={busy === "withdrawn"} onClick={() => void step("withdrawn")}>
              {t("ds.withdraw")}
            </Button>
          </Can>
        ) : null}
      </Flex>
      <Card size="small" title={t("ds.timeline")}>
        <Timeline items={(x.timeline ?? []).map((i) => ({ content: <Item i={i} returnId={x.returnId} /> }))} />
        {open ? (
          <Can perm="dispute:edit">
            <Form
              form={message}
              name="message"
              layout="vertical"
              onFinish={async (v: { body: string }) => {
                const ok = await run("message", () =>
                  answer(api.POST("/api/v1/disputes/{id}/messages", { params: { path: { id } }, body: v } as never)),
                );
                if (ok) {
                  message.resetFields();
                  d.reload();
                }
              }}
            >
              <Form.Item name="body" label={t("ds.message")} rules={[{ required: true }]}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
              <Button htmlType="submit" loading={busy === "message"}>
                {t("ds.send")}
              </Button>
            </Form>
          </Can>
        ) : null}
      </Card>
      {proposing ? (
        <Propose
          title={t("ds.propose")}
          outcomes={["refund_full", "refund_part", "refusal_upheld"]}
          max={x.maxFen}
          busy={busy !== null}
          onClose={() => setProposing(false)}
          onSubmit={(v) => void step("proposed", v)}
        />
      ) : null}
      {conceding ? (
        <Propose
          title={t("ds.concede")}
          help={t("ds.concedeHelp", { claim: (x.claimFen / 100).toFixed(2) })}
          outcomes={["refund_full", "refund_part"]}
          max={x.claimFen}
          busy={busy !== null}
          onClose={() => setConceding(false)}
          onSubmit={(v) => void step("settled", v)}
        />
      ) : null}
    </Space>
  );
}

function Item({ i, returnId }: { i: TimelineItem; returnId: string }) {
  const t = useT();
  const who = i.side ? t(`ds.side.${i.side}` as never) : (i.actor ?? "");
  return (
    <Flex vertical gap={2} data-kind={i.kind}>
      <Typography.Text type="secondary">
        <DateTime at={i.at} /> · {t(`ds.kind.${i.kind}` as never)} · {who}
      </Typography.Text>
      {i.kind === "photo" && i.ref ? (
        <Photo returnId={returnId} photoId={i.ref} />
      ) : i.kind === "ledger" ? (
        <Typography.Text>{t(`ds.ledger.${i.text}` as never)}</Typography.Text>
      ) : (
        <Typography.Text>
          {i.kind === "message" ? null : i.ref ? <StatusTag status={i.ref} /> : null} {i.text ?? ""}
        </Typography.Text>
      )}
    </Flex>
  );
}

/** The outcome of a proposal (platform) or a concession (seller: refunds only, at most the claim). */
function Propose({
  title,
  help,
  outcomes,
  max,
  busy,
  onClose,
  onSubmit,
}: {
  title: string;
  help?: string;
  outcomes: string[];
  max: number;
  busy: boolean;
  onClose(): void;
  onSubmit(v: Record<string, unknown>): void;
}) {
  const t = useT();
  const [form] = Form.useForm();
  const outcome = Form.useWatch("outcome", form) as string | undefined;
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy}>
      {help ? <Alert type="warning" showIcon title={help} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        name={outcomes.includes("refusal_upheld") ? "propose" : "concede"}
        onFinish={(v: { outcome: string; yuan?: number; note?: string }) =>
          onSubmit({
            outcome: v.outcome,
            ...(v.outcome === "refund_part" ? { amountFen: Math.round((v.yuan ?? 0) * 100) } : {}),
            ...(v.note ? { note: v.note } : {}),
          })
        }
      >
        <Form.Item name="outcome" label={t("ds.outcome")} rules={[{ required: true }]}>
          <Select
            options={outcomes.map((o) => ({
              value: o,
              label: t(`ds.outcome.${o}` as never),
            }))}
          />
        </Form.Item>
        {outcome === "refund_part" ? (
          <Form.Item
            name="yuan"
            label={t("ds.amountYuan", { max: (max / 100).toFixed(2) })}
            rules={[{ required: true }]}
          >
            <InputNumber min={0.01} max={max / 100 - 0.01} precision={2} style={{ width: "100%" }} />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label={t("as.note")}>
          <Input.TextArea maxLength={1000} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
