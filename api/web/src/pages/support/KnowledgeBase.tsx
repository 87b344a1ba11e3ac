/** The support knowledge base (issue 16): the platform's support team writes the answers to policy questions. */
import { Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { LoadError, useAction } from "../common/kit";

interface Article {
  id: string;
  title: string;
  body: string;
  keywords: string[];
  published: boolean;
  updatedAt: string;
}

export default function KnowledgeBase() {
  const t = useT();
  const [editing, setEditing] = useState<Article | "new" | null>(null);
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const list = useApi(
    () => answer<{ articles: Article[] }>(api.GET("/api/v1/support/articles", {} as never)).then((r) => r.articles),
    [],
  );
  const open = (a: Article | "new") => {
    setEditing(a);
    form.setFieldsValue(a === "new" ? { title: "", body: "", keywords: [], published: true } : a);
  };
  const save = async () => {
    const body = (await form.validateFields()) as Omit<Article, "id" | "updatedAt">;
    const ok = await run(
      "save",
      () =>
        answer(
          editing === "new"
            ? api.POST("/api/v1/support/articles", { body } as never)
            : api.PUT("/api/v1/support/articles/{id}", {
                params: { path: { id: (editing as Article).id } },
                body,
              } as never),
        ),
      t("kb.saved"),
      form,
    );
    if (ok) {
      setEditing(null);
      list.reload();
    }
  };
  const remove = async (a: Article) => {
    const ok = await run(
      `delete:${a.id}`,
      () => answer(api.DELETE("/api/v1/support/articles/{id}", { params: { path: { id: a.id } } } as never)),
      t("kb.deleted"),
    );
    if (ok) list.reload();
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Can perm="knowledge_base:create">
        <Button type="primary" onClick={() => open("new")}>
          {t("kb.new")}
        </Button>
      </Can>
      {list.error ? (
        <LoadError state={list} />
      ) : (
        <Table<Article>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data}
          data-testid="kb-table"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (a) => <div style={{ whiteSpace: "pre-wrap" }}>{a.body}</div> }}
          columns={[
            { title: t("kb.title"), dataIndex: "title" },
            {
              title: t("kb.keywords"),
              dataIndex: "keywords",
              render: (k: string[]) => k.map((w) => <Tag key={w}>{w}</Tag>),
            },
            {
              title: t("kb.published"),
              dataIndex: "published",
              render: (p: boolean) => <Tag color={p ? "green" : "default"}>{t(p ? "kb.yes" : "kb.no")}</Tag>,
            },
            { title: t("kb.updatedAt"), dataIndex: "updatedAt", render: (at: string) => <DateTime at={at} /> },
            {
              title: t("common.actions"),
              key: "a",
              render: (_: unknown, a) => (
                <Space>
                  <Can perm="knowledge_base:edit">
                    <Button size="small" onClick={() => open(a)}>
                      {t("kb.edit")}
                    </Button>
                  </Can>
                  <Can perm="knowledge_base:delete">
                    <Popconfirm title={t("kb.confirmDelete")} onConfirm={() => void remove(a)}>
                      <Button size="small" danger loading={busy === `delete:${a.id}`}>
                        {t("kb.delete")}
                      </Button>
                    </Popconfirm>
                  </Can>
                </Space>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={editing !== null}
        title={editing === "new" ? t("kb.new") : t("kb.edit")}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        confirmLoading={busy === "save"}
        okText={t("kb.save")}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="title" label={t("kb.title")} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="body" label={t("kb.body")} rules={[{ required: true, max: 4000 }]}>
            <Input.TextArea rows={6} />
          </Form.Item>
          <Form.Item name="keywords" label={t("kb.keywords")} extra={t("kb.keywordsHelp")}>
            <Select mode="tags" tokenSeparators={[",", "，", " "]} />
          </Form.Item>
          <Form.Item name="published" label={t("kb.published")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
