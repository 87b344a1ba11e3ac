import { Alert, Button, Input, Space, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";

type Brand = Answer<"/api/v1/catalog/brands", "get">["brands"][number];

/** The brands search knows by name, learned from every SKU import (GET /api/v1/catalog/brands), most SKUs first. */
export function BrandsTab() {
  const t = useT();
  const brands = useApi(() => answer<{ brands: Brand[] }>(api.GET("/api/v1/catalog/brands")), []);
  const [q, setQ] = useState("");
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = brands.data?.brands ?? [];
    if (!needle) return all;
    return all.filter((b) =>
      [b.id, ...b.names, b.pinyin ?? "", b.initials ?? "", b.nameEn ?? ""].some((x) =>
        x.toLowerCase().includes(needle),
      ),
    );
  }, [brands.data, q]);
  if (brands.error)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, brands.error)}
        action={<Button onClick={brands.reload}>{t("app.retry")}</Button>}
      />
    );
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t("vocab.brands.intro")}
      </Typography.Paragraph>
      <Input.Search
        allowClear
        aria-label={t("vocab.brands.search")}
        placeholder={t("vocab.brands.search")}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        style={{ maxWidth: 360 }}
      />
      <Table<Brand>
        data-testid="brands-table"
        rowKey="id"
        size="small"
        loading={brands.loading}
        dataSource={shown}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 760 }}
        columns={[
          { title: t("vocab.brands.name"), dataIndex: "name", render: (v: string) => <strong>{v}</strong> },
          {
            title: t("vocab.brands.aliases"),
            dataIndex: "aliases",
            render: (v: string[]) => (v.length ? v.map((a) => <Tag key={a}>{a}</Tag>) : "—"),
          },
          {
            title: t("vocab.brands.pinyin"),
            key: "pinyin",
            render: (_: unknown, b) => (b.pinyin ? `${b.pinyin}${b.initials ? ` · ${b.initials}` : ""}` : "—"),
          },
          { title: t("vocab.brands.nameEn"), dataIndex: "nameEn", render: (v: string | null) => v ?? "—" },
          {
            title: t("vocab.brands.skuCount"),
            dataIndex: "skuCount",
            align: "right",
            render: (v: number) => v.toLocaleString(),
          },
          {
            title: t("vocab.brands.createdAt"),
            dataIndex: "createdAt",
            render: (v: string) => <DateTime at={v} />,
          },
        ]}
      />
    </Space>
  );
}
