/**
 * The one search box (GET /api/v1/catalog/search: VIN, words or numbers), its results with brand, OE numbers and
 * fitment, and per result a one-click price comparison within 3 km of the shop (GET /catalog/skus/{id}/offers) from
 * which an offer is ordered (POST /api/v1/orders with an Idempotency-Key, pinned to the offer's warehouse).
 * Designed for a phone at the bench: one column of cards, big buttons, no table.
 */
import { Alert, Button, Card, Empty, Flex, Input, Skeleton, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { Offers } from "./Offers";
import { splitVin } from "./lib";
import { ToneTag } from "./Tone";

export type SearchResult = Answer<"/api/v1/catalog/search", "get">;
export type Hit = SearchResult["results"][number];

/** Results asked for at first and added by each "more"; the API answers at most MAX (GET /catalog/search limit). */
const PAGE = 10;
const MAX = 50;

export default function Search() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const [text, setText] = useState(query);
  const [open, setOpen] = useState<number | null>(null);
  // Ten at a time; "more" asks again for up to the API's 50 (it has no offset).
  const [limit, setLimit] = useState(PAGE);
  const found = useApi(async () => {
    if (!query.trim()) return null;
    const { vin, q } = splitVin(query);
    return answer<SearchResult>(
      api.GET("/api/v1/catalog/search", {
        params: { query: { ...(q ? { q } : {}), ...(vin ? { vin } : {}), limit } },
      }),
    );
  }, [query, limit]);
  const run = (value: string) => {
    setOpen(null);
    setLimit(PAGE);
    setParams(value.trim() ? { q: value.trim() } : {});
  };
  return (
    <Flex vertical gap={12} data-testid="shop-search">
      <Input.Search
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={run}
        placeholder={t("shop.search.placeholder")}
        aria-label={t("shop.search.label")}
        enterButton={t("shop.search.go")}
        size="large"
        allowClear
        autoFocus
        data-testid="shop-search-box"
      />
      {found.loading && query && <Skeleton active />}
      {found.error && (
        <Alert
          type="error"
          showIcon
          title={errorText(t, found.error)}
          action={<Button onClick={found.reload}>{t("app.retry")}</Button>}
        />
      )}
      {!query && <Typography.Text type="secondary">{t("shop.search.hint")}</Typography.Text>}
      {found.data && <Understood result={found.data} />}
      {found.data && found.data.results.length === 0 && <Empty description={t("shop.search.none")} />}
      {found.data?.results.map((hit) => (
        <HitCard
          key={hit.id}
          hit={hit}
          open={open === hit.id}
          onCompare={() => setOpen(open === hit.id ? null : hit.id)}
        />
      ))}
      {found.data && found.data.results.length < found.data.total && (
        <Flex vertical gap={4} align="center" data-testid="shop-search-more">
          <Typography.Text type="secondary">
            {t("shop.search.shown", { n: found.data.results.length, total: found.data.total })}
          </Typography.Text>
          {limit < MAX ? (
            <Button loading={found.loading} onClick={() => setLimit(Math.min(MAX, limit + PAGE))}>
              {t("shop.search.more")}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t("shop.search.narrow")}</Typography.Text>
          )}
        </Flex>
      )}
    </Flex>
  );
}

function Understood({ result }: { result: SearchResult }) {
  const t = useT();
  const u = result.understood;
  const tags = [
    ...(result.vin
      ? [
          `${t("shop.search.vin")} ${result.vin.vin} · ${[result.vin.manufacturer, result.vin.modelYear].filter(Boolean).join(" ")}`,
        ]
      : []),
    ...u.series,
    ...u.makes,
    ...(u.year ? [String(u.year)] : []),
    ...(u.position ? [u.position] : []),
    ...u.numbers,
  ];
  return (
    <Typography.Text type="secondary" data-testid="shop-search-total">
      {t("shop.search.total", { n: result.total })}
      {tags.length > 0 && (
        <>
          {" · "}
          {tags.map((x) => (
            <Tag key={x}>{x}</Tag>
          ))}
        </>
      )}
      {u.corrected.map((c) => (
        <ToneTag key={c.typed} tone="gold">
          {t("shop.search.corrected", { typed: c.typed, meant: c.meant })}
        </ToneTag>
      ))}
    </Typography.Text>
  );
}

function HitCard({ hit, open, onCompare }: { hit: Hit; open: boolean; onCompare(): void }) {
  const t = useT();
  const oe = hit.numbers.filter((n) => n.kind === "oe").map((n) => n.number);
  return (
    <Card size="small" data-testid="shop-hit" data-sku={hit.id}>
      <Flex vertical gap={4}>
        <Typography.Text strong>
          {hit.brandName} · {hit.name}
        </Typography.Text>
        <Typography.Text>
          {t("shop.hit.partNo")} <Typography.Text code>{hit.partNo}</Typography.Text>
          {" · "}
          {t(`shop.kind.${hit.kind}`)}
        </Typography.Text>
        {oe.length > 0 && (
          <Typography.Text>
            {t("shop.hit.oe")} <Typography.Text code>{oe.slice(0, 3).join(" / ")}</Typography.Text>
          </Typography.Text>
        )}
        <Typography.Text type="secondary">
          {t("shop.hit.fits")} {hit.fits.length ? hit.fits.slice(0, 3).join("；") : t("shop.hit.fitsUnknown")}
        </Typography.Text>
        <Can perm="offer:view">
          <Space>
            <Button type={open ? "default" : "primary"} onClick={onCompare} data-testid="shop-compare" size="large">
              {open ? t("shop.compare.hide") : t("shop.compare.open")}
            </Button>
          </Space>
        </Can>
        {open && <Offers skuId={hit.id} />}
      </Flex>
    </Card>
  );
}
