/** The platform's support queue (issue 16): conversations handed over by the assistant; claim, reply, close. */
import { Button, Card, Descriptions, Input, Segmented, Space, Table, Tag } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, useAction } from "../common/kit";
import { Messages } from "./Messages";
import type { Conversation } from "./types";

const STATUSES = ["waiting", "claimed", "closed"] as const;

export default function SupportQueue() {
  const t = useT();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("waiting");
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const { run, busy } = useAction();
  const list = useApi(
    () =>
      answer<{ conversations: Conversation[] }>(
        api.GET("/api/v1/support/queue", { params: { query: { status } } } as never),
      ).then((r) => r.conversations),
    [status],
  );
  const act = async (c: Conversation, verb: "claim" | "close" | "reply") => {
    const ok = await run(`${verb}:${c.id}`, () =>
      answer(
        api.POST(
          `/api/v1/support/queue/{id}/${verb}` as "/api/v1/support/queue/{id}/claim",
          {
            params: { path: { id: c.id } },
            body: verb === "reply" ? { text: drafts[c.id] ?? "" } : {},
          } as never,
        ),
      ),
    );
    if (ok) {
      if (verb === "reply") setDrafts((d) => ({ ...d, [c.id]: "" }));
      list.reload();
    }
  };

  const reveal = async (c: Conversation) => {
    const r = await run(`reveal:${c.id}`, () =>
      answer<{ contact: string }>(
        api.POST("/api/v1/support/queue/{id}/reveal-contact", { params: { path: { id: c.id } }, body: {} } as never),
      ),
    );
    if (r) setRevealed((m) => ({ ...m, [c.id]: r.contact }));
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={STATUSES.map((s) => ({ value: s, label: t(`status.support.${s}`) }))}
      />
      {list.error ? (
        <LoadError state={list} />
      ) : (
        <Table<Conversation>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data}
          data-testid="support-queue"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          expandable={{
            expandedRowRender: (c) => (
              <Space direction="vertical" style={{ width: "100%" }}>
                <Card size="small" title={t("support.lookups")}>
                  <Descriptions size="small" column={1}>
                    {(c.lookups ?? []).map((l, i) => (
                      <Descriptions.Item key={i} label={t(`support.lookup.${l.kind}` as never)}>
                        {l.ref ?? "—"}{" "}
                        <Tag color={l.found ? "green" : "default"}>
                          {t(l.found ? "support.found" : "support.notFound")}
                        </Tag>
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                </Card>
                <Messages messages={c.messages ?? []} mine="agent" />
                {c.status === "claimed" ? (
                  <Can perm="support_queue:edit">
                    <Space.Compact style={{ width: "100%" }}>
                      <Input
                        value={drafts[c.id] ?? ""}
                        maxLength={1000}
                        aria-label={t("support.reply")}
                        placeholder={t("support.reply")}
                        onChange={(e) => setDrafts((d) => ({ ...d, [c.id]: e.target.value }))}
                      />
                      <Button type="primary" loading={busy === `reply:${c.id}`} onClick={() => void act(c, "reply")}>
                        {t("support.send")}
                      </Button>
                    </Space.Compact>
                  </Can>
                ) : null}
              </Space>
            ),
          }}
          columns={[
            {
              title: t("support.company"),
              key: "who",
              render: (_: unknown, c) =>
                c.channel === "scan" ? (
                  <Space direction="vertical" size={0}>
                    <Tag color="blue">{t("support.scanVisitor")}</Tag>
                    {c.part ? (
                      <span>
                        {c.part.gtin} / {c.part.serial}
                      </span>
                    ) : null}
                    {c.contact ? (
                      <span>
                        {t("support.contact")}: {revealed[c.id] ?? c.contact}{" "}
                        {c.status === "claimed" && !revealed[c.id] ? (
                          <Can perm="support_queue:edit">
                            <Button
                              size="small"
                              type="link"
                              loading={busy === `reveal:${c.id}`}
                              onClick={() => void reveal(c)}
                            >
                              {t("support.revealContact")}
                            </Button>
                          </Can>
                        ) : null}
                      </span>
                    ) : null}
                  </Space>
                ) : (
                  c.companyId
                ),
            },
            {
              title: t("support.reason"),
              dataIndex: "handoverReason",
              render: (r: string | null) => (r ? t(`support.reason.${r}` as never) : "—"),
            },
            {
              title: t("support.handedOverAt"),
              dataIndex: "handedOverAt",
              render: (at: string) => <DateTime at={at} />,
            },
            {
              title: t("common.status"),
              dataIndex: "status",
              render: (s: string) => <StatusTag status={`support.${s}`} />,
            },
            {
              title: t("common.actions"),
              key: "a",
              render: (_: unknown, c) => (
                <Can perm="support_queue:edit">
                  <Space>
                    {c.status === "waiting" ? (
                      <Button
                        size="small"
                        type="primary"
                        loading={busy === `claim:${c.id}`}
                        onClick={() => void act(c, "claim")}
                      >
                        {t("support.claim")}
                      </Button>
                    ) : null}
                    {c.status === "claimed" ? (
                      <Button size="small" loading={busy === `close:${c.id}`} onClick={() => void act(c, "close")}>
                        {t("support.close")}
                      </Button>
                    ) : null}
                  </Space>
                </Can>
              ),
            },
          ]}
        />
      )}
    </Space>
  );
}
