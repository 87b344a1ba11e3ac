/**
 * Disputes: a company's own (as requester or seller), and for the platform its arbitration queue — open disputes
 * first, then those in review and those waiting for a second person's approval.
 */
import { Button, Card, Empty, Flex, Segmented, Space, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { answer, api, useApi } from "../../api/client";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError } from "../common/kit";
import type { DisputeRow } from "./types";

const FILTERS = ["open", "under_review", "proposed", "settled", "all"] as const;

export default function Disputes() {
  const t = useT();
  const navigate = useNavigate();
  const [status, setStatus] = useState<(typeof FILTERS)[number]>("all");
  const list = useApi(
    () =>
      answer<{ disputes: DisputeRow[] }>(
        api.GET("/api/v1/disputes", {
          params: { query: { limit: 100, ...(status === "all" ? {} : { status }) } },
        } as never),
      ).then((r) => r.disputes),
    [status],
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="disputes">
      <Segmented
        aria-label={t("ds.filter")}
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={FILTERS.map((f) => ({ value: f, label: f === "all" ? t("as.all") : t(`status.${f}` as never) }))}
      />
      {list.error ? <LoadError state={list} /> : null}
      {!list.loading && !list.error && !list.data?.length ? <Empty description={t("ds.none")} /> : null}
      {(list.data ?? []).map((d) => (
        <Card key={d.id} size="small" data-testid="dispute-row" data-dispute={d.id}>
          <Flex justify="space-between" wrap gap={8}>
            <Flex vertical gap={2}>
              <Typography.Text strong>
                {t("ds.claim")} <Money fen={d.claimFen} />
              </Typography.Text>
              <Typography.Text type="secondary">
                {d.id} · {d.returnId} · <DateTime at={d.createdAt} />
              </Typography.Text>
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 420 }}>
                {d.reason}
              </Typography.Text>
            </Flex>
            <Flex gap={8} align="center">
              <StatusTag status={d.status} />
              <Button onClick={() => void navigate(`/disputes/${d.id}`)}>{t("as.details")}</Button>
            </Flex>
          </Flex>
        </Card>
      ))}
    </Space>
  );
}
