import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { SynonymImport } from "./SynonymImport";

type Synonym = Answer<"/api/v1/catalog/synonyms", "get">["synonyms"][number];
type Category = Answer<"/api/v1/catalog/categories", "get">["categories"][number];
const KINDS = ["oe", "aftermarket", "reman", "used"] as const;
type SkuKind = (typeof KINDS)[number];
/** antd's link blue (#1677ff, 4.1:1) and danger red (#ff4d4f, 3.3:1) fail WCAG AA on white: darker ones (axe-checked). */
const LINK = { color: "#1660d9" };
const DANGER_LINK = { color: "#a8071a" };
interface FormValues {
  term: string;
  partTypes: string[];
  position?: "前" | "后" | null;
  kind?: SkuKind | null;
}

/** Every part type of the category tree: id → name. */
function typesOf(categories: Category[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (c: Category) => {
    for (const t of c.types ?? []) out.set(t.id, t.name);
    for (const k of c.children ?? []) walk(k);
  };
  categories.forEach(walk);
  return out;
}

/** The synonym table: a term → part types, a side, a kind of part (none of them: a filler word search skips). */
export function SynonymsTab() {
  const t = useT();
  const { message } = App.useApp();
  const synonyms = useApi(() => answer<{ synonyms: Synonym[] }>(api.GET("/api/v1/catalog/synonyms")), []);
  const categories = useApi(() => answer<{ categories: Category[] }>(api.GET("/api/v1/catalog/categories")), []);
  const types = useMemo(() => typesOf(categories.data?.categories ?? []), [categories.data]);
  const [q, setQ] = useState("");
  const [editing, setEditing] = useState<Synonym | "new" | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<FormValues>();

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = synonyms.data?.synonyms ?? [];
    if (!needle) return all;
    return all.filter((s) =>
      [s.term, ...s.partTypes, ...s.partTypes.map((p) => types.get(p) ?? "")].some((x) =>
        x.toLowerCase().includes(needle),
      ),
    );
  }, [synonyms.data, q, types]);

  const open = (s: Synonym | "new") => {
    setEditing(s);
    form.setFieldsValue(
      s === "new"
        ? { term: "", partTypes: [], position: null, kind: null }
        : { term: s.term, partTypes: s.partTypes, position: s.position, kind: (s.kind as SkuKind | null) ?? null },
    );
  };
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api.PUT("/api/v1/catalog/synonyms/{term}", {
        params: { path: { term: v.term.trim() } },
        body: { partTypes: v.partTypes ?? [], position: v.position ?? null, kind: v.kind ?? null },
      });
      void message.success(t("vocab.saved", { term: v.term.trim() }));
      setEditing(null);
      synonyms.reload();
    } catch (e) {
      void message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };
  const remove = async (term: string) => {
    try {
      await api.DELETE("/api/v1/catalog/synonyms/{term}", { params: { path: { term } } });
      void message.success(t("vocab.deleted", { term }));
      synonyms.reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  if (synonyms.error)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, synonyms.error)}
        action={<Button onClick={synonyms.reload}>{t("app.retry")}</Button>}
      />
    );
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t("vocab.synonyms.intro")}
      </Typography.Paragraph>
      <Space wrap>
        <Input.Search
          allowClear
          aria-label={t("vocab.synonyms.search")}
          placeholder={t("vocab.synonyms.search")}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 280 }}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open("new")}>
          {t("vocab.synonyms.add")}
        </Button>
      </Space>
      <SynonymImport onDone={synonyms.reload} />
      <Table<Synonym>
        data-testid="synonyms-table"
        rowKey="term"
        size="small"
        loading={synonyms.loading}
        dataSource={shown}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 760 }}
        columns={[
          { title: t("vocab.synonyms.term"), dataIndex: "term", render: (v: string) => <strong>{v}</strong> },
          {
            title: t("vocab.synonyms.partTypes"),
            dataIndex: "partTypes",
            render: (v: string[]) =>
              v.length ? v.map((p) => <Tag key={p}>{types.get(p) ?? p}</Tag>) : <em>{t("vocab.synonyms.none")}</em>,
          },
          {
            title: t("vocab.synonyms.position"),
            dataIndex: "position",
            render: (v: "前" | "后" | null) => (v ? t(`vocab.position.${v === "前" ? "front" : "rear"}`) : "—"),
          },
          {
            title: t("vocab.synonyms.kind"),
            dataIndex: "kind",
            render: (v: string | null) => (v ? t(`vocab.kind.${v as SkuKind}`) : "—"),
          },
          {
            title: t("vocab.synonyms.source"),
            dataIndex: "source",
            render: (v: string) => t(`vocab.source.${v === "csv" || v === "console" ? v : "seed"}`),
          },
          {
            title: t("vocab.synonyms.updatedAt"),
            dataIndex: "updatedAt",
            render: (v: string) => <DateTime at={v} />,
          },
          {
            title: t("vocab.synonyms.actions"),
            key: "actions",
            render: (_: unknown, s) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  style={LINK}
                  icon={<EditOutlined />}
                  aria-label={`${t("vocab.edit")} ${s.term}`}
                  onClick={() => open(s)}
                >
                  {t("vocab.edit")}
                </Button>
                <Popconfirm
                  title={t("vocab.delete.confirm", { term: s.term })}
                  okText={t("vocab.delete")}
                  cancelText={t("vocab.cancel")}
                  onConfirm={() => remove(s.term)}
                >
                  <Button
                    type="link"
                    size="small"
                    danger
                    style={DANGER_LINK}
                    icon={<DeleteOutlined />}
                    aria-label={`${t("vocab.delete")} ${s.term}`}
                  >
                    {t("vocab.delete")}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === "new" ? t("vocab.synonyms.add") : t("vocab.synonyms.editTitle")}
        okText={t("vocab.save")}
        cancelText={t("vocab.cancel")}
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="synonym" preserve={false}>
          <Form.Item
            name="term"
            label={t("vocab.synonyms.term")}
            rules={[{ required: true, min: 2, max: 40, message: t("vocab.synonyms.term.rule") }]}
          >
            <Input disabled={editing !== "new"} maxLength={40} />
          </Form.Item>
          <Form.Item name="partTypes" label={t("vocab.synonyms.partTypes")} extra={t("vocab.synonyms.partTypes.hint")}>
            <Select
              mode="multiple"
              allowClear
              showSearch={{ optionFilterProp: "label" }}
              options={[...types].map(([id, name]) => ({ value: id, label: `${name} (${id})` }))}
            />
          </Form.Item>
          <Form.Item name="position" label={t("vocab.synonyms.position")}>
            <Select
              allowClear
              options={[
                { value: "前", label: t("vocab.position.front") },
                { value: "后", label: t("vocab.position.rear") },
              ]}
            />
          </Form.Item>
          <Form.Item name="kind" label={t("vocab.synonyms.kind")}>
            <Select allowClear options={KINDS.map((k) => ({ value: k, label: t(`vocab.kind.${k}`) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
