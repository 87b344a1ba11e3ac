/** A conversation's messages as chat bubbles: the user's on the right, the assistant's and the agent's on the left. */
import { Space, Tag, Typography } from "antd";
import { hasMessage, useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import type { SupportMessage } from "./types";

export function Messages({ messages, mine = "user" }: { messages: SupportMessage[]; mine?: "user" | "agent" }) {
  const t = useT();
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="support-messages">
      {messages.map((m) => (
        <div key={m.id} style={{ display: "flex", justifyContent: m.author === mine ? "flex-end" : "flex-start" }}>
          <div
            style={{
              maxWidth: "80%",
              padding: "6px 10px",
              borderRadius: 8,
              background: m.author === mine ? "#e6f4ff" : "#f5f5f5",
              whiteSpace: "pre-wrap",
            }}
          >
            <Space size={4} wrap>
              <Tag>{t(`support.author.${m.author}`)}</Tag>
              {m.intent ? (
                <Tag color="blue">
                  {hasMessage(`support.intent.${m.intent}`) ? t(`support.intent.${m.intent}` as never) : m.intent}
                </Tag>
              ) : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <DateTime at={m.createdAt} />
              </Typography.Text>
            </Space>
            <div>{m.body}</div>
          </div>
        </div>
      ))}
    </Space>
  );
}
