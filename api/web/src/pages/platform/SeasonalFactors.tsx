/**
 * 季节因子 (issue 14, DECISIONS 72): the seasonal calendar the platform's team keeps — a factor per part type (or every
 * type, `*`) × province (or all) × month, with its reason in words. Filtered in the browser; a factor is set in a
 * form (PUT /seasonal-factors, audited); learned rows are shown for reference and overridden by a manual one.
 */
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useLocale, useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { PROVINCES, provinceName } from "../../widgets/provinces";

type Factor = Answer<"/api/v1/seasonal-factors", "get">["factors"][number];
type Category = Answer<"/api/v1/catalog/categories", "get">["categories"][number];
interface Values {
  partType: string;
  provinceCode: string;
  month: number;
  factor: number;
  reasonZh: string;
  reasonEn?: string;
}
const LINK = { color: "#1660d9" };

function typesOf(categories: Category[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (c: Category) => {
    for (const t of c.types ?? []) out.set(t.id, t.name);
    for (const k of c.children ?? []) walk(k);
  };
  categories.forEach(walk);
  return out;
}

export default function SeasonalFactors() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const list = useApi(() => answer<{ factors: Factor[] }>(api.GET("/api/v1/seasonal-factors", {} as never)), []);
  const categories = useApi(() => answer<{ categories: Category[] }>(api.GET("/api/v1/catalog/categories")), []);
  const types = useMemo(() => typesOf(categories.data?.categories ?? []), [categories.data]);
  const [partType, setPartType] = useState<string | undefined>();
  const [province, setProvince] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Values>();

  const typeName = (id: string) => (id === "*" ? t("seasonal.everyType") : (types.get(id) ?? id));
  const provName = (code: string) => (code === "all" ? t("seasonal.allProvinces") : (provinceName.get(code) ?? code));
  const shown = useMemo(
    () =>
      (list.data?.factors ?? [])
        .filter((f) => (!partType || f.partType === partType) && (!province || f.provinceCode === province))
        .sort(
          (a, b) =>
            a.partType.localeCompare(b.partType) || a.provinceCode.localeCompare(b.provinceCode) || a.month - b.month,
        ),
    [list.data, partType, province],
  );
  const typeOptions = useMemo(
    () => [
      { value: "*", label: t("seasonal.everyType") },
      ...[...types].map(([id, name]) => ({ value: id, label: `${name} (${id})` })),
    ],
    [types, t],
  );
  const provinceOptions = useMemo(
    () => [{ value: "all", label: t("seasonal.allProvinces") }, ...PROVINCES.map(([c, n]) => ({ value: c, label: n }))],
    [t],
  );
  const open = (f?: Factor) => {
    form.setFieldsValue(
      f
        ? {
            partType: f.partType,
            provinceCode: f.provinceCode,
            month: f.month,
            factor: f.factor,
            reasonZh: f.reasonZh,
            reasonEn: f.reasonEn,
          }
        : {
            partType: partType ?? "",
            provinceCode: province ?? "all",
            month: 1,
            factor: 1,
            reasonZh: "",
            reasonEn: "",
          },
    );
    setEditing(true);
  };
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api.PUT("/api/v1/seasonal-factors", { body: { ...v, reasonEn: v.reasonEn ?? "" } } as never);
      message.success(t("seasonal.saved"));
      setEditing(false);
      // Show the row just saved: filter to its part type and province.
      setPartType(v.partType);
      setProvince(v.provinceCode);
      list.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("seasonal.hint")}</Typography.Text>
      <Space wrap>
        <Select
          aria-label={t("seasonal.partType")}
          style={{ minWidth: 200 }}
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          placeholder={t("seasonal.partType")}
          value={partType}
          onChange={(v?: string) => setPartType(v)}
          options={typeOptions}
        />
        <Select
          aria-label={t("seasonal.province")}
          style={{ minWidth: 180 }}
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          placeholder={t("seasonal.province")}
          value={province}
          onChange={(v?: string) => setProvince(v)}
          options={provinceOptions}
        />
        <Can perm="seasonal_factor:edit">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open()}>
            {t("seasonal.add")}
          </Button>
        </Can>
      </Space>
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Table<Factor>
        data-testid="seasonal-table"
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={shown}
        scroll={{ x: true }}
        locale={{ emptyText: t("seasonal.empty") }}
        columns={[
          { title: t("seasonal.partType"), dataIndex: "partType", render: typeName },
          { title: t("seasonal.province"), dataIndex: "provinceCode", render: provName },
          {
            title: t("seasonal.month"),
            dataIndex: "month",
            align: "right",
            render: (m: number) => t("seasonal.monthN", { m }),
          },
          { title: t("seasonal.factor"), dataIndex: "factor", align: "right", render: (f: number) => `× ${f}` },
          {
            title: t("seasonal.reason"),
            key: "reason",
            render: (_, f) => (locale === "en" && f.reasonEn ? f.reasonEn : f.reasonZh),
          },
          {
            title: t("seasonal.source"),
            dataIndex: "source",
            render: (s: Factor["source"]) => (
              <Tag color={s === "manual" ? "#003eb3" : "#434343"}>{t(`seasonal.source.${s}`)}</Tag>
            ),
          },
          { title: t("seasonal.updatedAt"), dataIndex: "updatedAt", render: (at: string) => <DateTime at={at} /> },
          {
            title: "",
            key: "edit",
            render: (_, f) => (
              <Can perm="seasonal_factor:edit">
                <Button
                  type="link"
                  size="small"
                  style={LINK}
                  icon={<EditOutlined />}
                  aria-label={t("seasonal.editRow", {
                    type: typeName(f.partType),
                    province: provName(f.provinceCode),
                    m: f.month,
                  })}
                  onClick={() => open(f)}
                />
              </Can>
            ),
          },
        ]}
      />
      <Modal
        open={editing}
        title={t("seasonal.edit")}
        okText={t("seasonal.save")}
        confirmLoading={saving}
        onOk={save}
        onCancel={() => setEditing(false)}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical" name="seasonal-factor">
          <Form.Item name="partType" label={t("seasonal.partType")} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: "label" }} options={typeOptions} />
          </Form.Item>
          <Form.Item name="provinceCode" label={t("seasonal.province")} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: "label" }} options={provinceOptions} />
          </Form.Item>
          <Form.Item name="month" label={t("seasonal.month")} rules={[{ required: true }]}>
            <InputNumber min={1} max={12} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item
            name="factor"
            label={t("seasonal.factor")}
            rules={[{ required: true }]}
            extra={t("seasonal.factorHint")}
          >
            <InputNumber min={0.05} max={20} step={0.05} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item
            name="reasonZh"
            label={t("seasonal.reasonZh")}
            rules={[{ required: true, whitespace: true, max: 100 }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="reasonEn" label={t("seasonal.reasonEn")} rules={[{ max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
