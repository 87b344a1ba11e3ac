/**
 * The support assistant for a company's users (issue 16): my conversations on the left, the open one on the right;
 * the assistant answers from my company's orders, parts and installations and from the platform's knowledge base,
 * and hands over to a person on 转人工, when unsure, or after two failed answers.
 */
import { Alert, Button, Card, Col, Empty, Input, List, Row, Space, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, useAction } from "../common/kit";
import { Messages } from "./Messages";
import type { Conversation } from "./types";

export default function SupportChat() {
  const t = useT();
  const [open, setOpen] = useState<Conversation | null>(null);
  const [text, setText] = useState("");
  const { run, busy } = useAction();
  const list = useApi(
    () =>
      answer<{ conversations: Conversation[] }>(
        api.GET("/api/v1/support/conversations", { params: { query: { limit: 20 } } } as never),
      ).then((r) => r.conversations),
    [],
  );

  const select = async (id: string) => {
    const c = await run("open", () =>
      answer<Conversation>(api.GET("/api/v1/support/conversations/{id}", { params: { path: { id } } } as never)),
    );
    if (c) setOpen(c);
  };
  const send = async () => {
    const body = text.trim();
    if (!body) return;
    const c = await run("send", () =>
      open
        ? answer<Conversation>(
            api.POST("/api/v1/support/conversations/{id}/messages", {
              params: { path: { id: open.id } },
              body: { text: body },
            } as never),
          )
        : answer<Conversation>(api.POST("/api/v1/support/conversations", { body: { text: body } } as never)),
    );
    if (c) {
      setOpen(c);
      setText("");
      list.reload();
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} md={8}>
        <Card
          size="small"
          title={t("support.conversations")}
          extra={
            <Button size="small" onClick={() => setOpen(null)}>
              {t("support.new")}
            </Button>
          }
        >
          {list.error ? (
            <LoadError state={list} />
          ) : (
            <List
              size="small"
              loading={list.loading}
              dataSource={list.data ?? []}
              locale={{ emptyText: <Typography.Text type="secondary">{t("support.none")}</Typography.Text> }}
              renderItem={(c) => (
                <List.Item
                  onClick={() => void select(c.id)}
                  style={{ cursor: "pointer", background: open?.id === c.id ? "#f0f5ff" : undefined }}
                >
                  <Space>
                    <StatusTag status={`support.${c.status}`} />
                    <DateTime at={c.updatedAt} />
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} md={16}>
        <Card size="small" title={open ? t("support.conversation") : t("support.ask")}>
          <Space direction="vertical" style={{ width: "100%" }}>
            {open?.status === "waiting" || open?.status === "claimed" ? (
              <Alert type="info" showIcon title={t("support.handedOver")} />
            ) : null}
            {open?.messages?.length ? (
              <Messages messages={open.messages} />
            ) : (
              <Empty description={<Typography.Text type="secondary">{t("support.hint")}</Typography.Text>} />
            )}
            <Space.Compact style={{ width: "100%" }}>
              <Input
                value={text}
                maxLength={1000}
                disabled={open?.status === "closed"}
                placeholder={t("support.placeholder")}
                onChange={(e) => setText(e.target.value)}
                onPressEnter={() => void send()}
                aria-label={t("support.placeholder")}
                data-testid="support-input"
              />
              <Button type="primary" loading={busy === "send"} onClick={() => void send()}>
                {t("support.send")}
              </Button>
            </Space.Compact>
          </Space>
        </Card>
      </Col>
    </Row>
  );
}
