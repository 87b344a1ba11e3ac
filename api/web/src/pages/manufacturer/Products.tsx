/** My products and GTINs: what my company named or minted, and the verified prefixes it may mint under. */
import { Alert, Button, Skeleton, Space, Table, Tag, Typography } from "antd";
import { Link } from "react-router";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can, usePermissions } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { EmptyText, type Prefixes, type Product, type Products as ProductList } from "./shared";

export default function Products() {
  const t = useT();
  const { has } = usePermissions();
  const products = useApi(() => answer<ProductList>(api.GET("/api/v1/products")), []);
  const prefixes = useApi(
    () =>
      has("gs1_prefix:view")
        ? answer<Prefixes>(api.GET("/api/v1/gs1-prefixes", { params: { query: { status: "verified" } } }))
        : Promise.resolve({ prefixes: [] } as Prefixes),
    [],
  );
  const verified = prefixes.data?.prefixes.filter((p) => p.status === "verified").map((p) => p.prefix) ?? [];
  if (products.error)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, products.error)}
        action={<Button onClick={products.reload}>{t("app.retry")}</Button>}
      />
    );
  if (!products.data) return <Skeleton active />;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {prefixes.data && has("gs1_prefix:view") && (
        <Alert
          type={verified.length ? "info" : "warning"}
          showIcon
          data-testid="may-mint"
          title={
            verified.length ? t("mfr.products.mayMint", { prefixes: verified.join("、") }) : t("mfr.products.noPrefix")
          }
          action={
            <Can perm="part:create">
              <Link to="/manufacturer/mint">
                <Button size="small" type="primary" disabled={!verified.length}>
                  {t("menu.mfr.mint")}
                </Button>
              </Link>
            </Can>
          }
        />
      )}
      <Table<Product>
        data-testid="products"
        rowKey="gtin"
        size="small"
        scroll={products.data.products.length ? { x: "max-content" } : undefined}
        dataSource={products.data.products}
        locale={{ emptyText: <EmptyText text={t("mfr.products.empty")} /> }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            title: t("mfr.gtin"),
            dataIndex: "gtin",
            render: (g: string) => <Typography.Text copyable>{g}</Typography.Text>,
          },
          {
            title: t("mfr.brand"),
            dataIndex: "brand",
            render: (b: string | null) => b ?? <Tag>{t("mfr.unnamed")}</Tag>,
          },
          { title: t("mfr.productName"), dataIndex: "name", render: (n: string | null) => n ?? "—" },
          { title: t("mfr.runsCount"), dataIndex: "runs", align: "right" },
          { title: t("mfr.partsCount"), dataIndex: "parts", align: "right" },
          {
            title: t("mfr.lastMintedAt"),
            dataIndex: "lastMintedAt",
            render: (d: string | null) => <DateTime at={d} />,
          },
        ]}
      />
    </Space>
  );
}
