import { CheckCircleOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Collapse, Descriptions, Result, Space, Table, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { answer, api } from "../../api/client";
import { errorText } from "../../app/errors";
import { useCurrent } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { ScanInput } from "../../widgets/ScanInput";
import { cartonKey } from "./codes";
import type { CartonDetail } from "./types";

/**
 * Receiving a carton by scanning (DECISIONS 64): the scanner types the carton label's code into the field (or the
 * phone camera reads it) → the carton, its sender and its parts → one click receives them all
 * (POST /dispatches/{code}/receive). Scan, click: two interactions for a carton of any size.
 */
export default function ReceiveCarton() {
  const t = useT();
  const { me } = useCurrent();
  const [carton, setCarton] = useState<CartonDetail>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [done, setDone] = useState<{ received: number; already: boolean }>();
  const scan = async (raw: string) => {
    setDone(undefined);
    setCarton(undefined);
    const code = cartonKey(raw);
    if (!code) return setError(t("receive.badCode", { code: raw }));
    setError(undefined);
    setLoading(true);
    try {
      setCarton(
        await answer<CartonDetail>(api.GET("/api/v1/dispatches/{code}", { params: { path: { code } } } as never)),
      );
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setLoading(false);
    }
  };
  // Opened from a carton label's Digital Link (GET /00/{sscc} redirects here with ?code=): look it up at once.
  const [params] = useSearchParams();
  const opened = useRef(false);
  useEffect(() => {
    const code = params.get("code");
    if (code && !opened.current) {
      opened.current = true;
      void scan(code);
    }
  });
  const receive = async () => {
    if (!carton) return;
    setLoading(true);
    try {
      const r = await answer<{ received: number; alreadyReceived: boolean }>(
        api.POST("/api/v1/dispatches/{code}/receive", { params: { path: { code: carton.id } }, body: {} } as never),
      );
      setDone({ received: r.received, already: r.alreadyReceived });
      setCarton(undefined);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setLoading(false);
    }
  };
  const mine = carton && carton.to.id === me.companyId;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%", maxWidth: 720 }}>
      <Card size="small">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t("receive.scan.hint")}
        </Typography.Paragraph>
        <ScanInput onScan={scan} label={t("receive.scan")} placeholder={t("receive.scan")} disabled={loading} />
      </Card>
      {error && <Alert type="error" showIcon title={error} data-testid="receive-error" />}
      {done && (
        <Result
          status={done.already ? "info" : "success"}
          icon={done.already ? undefined : <CheckCircleOutlined />}
          title={done.already ? t("receive.already") : t("receive.done", { n: done.received })}
          subTitle={t("receive.next")}
          data-testid="receive-done"
        />
      )}
      {carton && (
        <Card size="small" data-testid="carton">
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t("carton.code")}>
              <Typography.Text code>{carton.sscc ?? carton.id}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t("receive.sender")}>
              <span data-testid="carton-sender">{carton.from.name}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("receive.count")}>
              <Typography.Text strong data-testid="carton-count">
                {carton.partCount}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t("carton.sentAt")}>
              <DateTime at={carton.createdAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t("carton.status")}>
              <Tag color={carton.status === "received" ? "#135200" : "#874d00"}>
                {t(`carton.status.${carton.status}`)}
              </Tag>
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="gtin"
            pagination={false}
            dataSource={carton.gtins}
            columns={[
              { title: t("receive.gtin"), dataIndex: "gtin" },
              { title: t("receive.count"), dataIndex: "count", align: "right" },
            ]}
            style={{ margin: "12px 0" }}
          />
          <Collapse
            size="small"
            items={[
              {
                key: "serials",
                label: t("receive.serials"),
                children: (
                  <Typography.Paragraph style={{ maxHeight: 200, overflow: "auto", marginBottom: 0 }}>
                    {carton.parts.map((p) => `${p.gtin} ${p.serial}`).join("\n")}
                  </Typography.Paragraph>
                ),
              },
            ]}
          />
          {!mine ? (
            <Alert type="warning" showIcon title={t("receive.notYours")} style={{ marginTop: 12 }} />
          ) : carton.status === "received" ? (
            <Alert type="info" showIcon title={t("receive.already")} style={{ marginTop: 12 }} />
          ) : (
            <Button type="primary" size="large" block loading={loading} onClick={receive} style={{ marginTop: 12 }}>
              {t("receive.all", { n: carton.partCount })}
            </Button>
          )}
        </Card>
      )}
    </Space>
  );
}
