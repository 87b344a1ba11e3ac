/**
 * Counterfeit reports for the brand owner (its GTINs) and the platform (all): the reports, where they repeat (places,
 * last companies of record, serials), and one report's evidence (the ledger's custody and recent scans).
 */
import { Button, Card, Col, Drawer, Row, Space, Table, Timeline, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, useAction } from "../common/kit";

interface Report {
  id: string;
  gtin: string;
  serial: string;
  verdict: string;
  note: string | null;
  status: string;
  location: { lng: number; lat: number } | null;
  createdAt: string;
}
interface Evidence {
  custody: Array<{
    step: string;
    at: string;
    by: { name: string; kind: string };
    placeName: string;
    anchored: boolean;
  }>;
  scans: Array<{ scannedAt: string; location: { lng: number; lat: number } | null; byCompany: boolean }>;
  reportsOfSameSerial: number;
  lastHolder: { name: string; kind: string } | null;
}
interface Repeats {
  locations: Array<{ location: { lng: number; lat: number }; reports: number; serials: number; lastAt: string }>;
  sellers: Array<{ companyId: string; name: string; reports: number; serials: number }>;
  serials: Array<{ gtin: string; serial: string; reports: number; places: number }>;
}
const where = (l: { lng: number; lat: number } | null) => (l ? `${l.lng.toFixed(2)}, ${l.lat.toFixed(2)}` : "—");

export default function CounterfeitReports() {
  const t = useT();
  const { run } = useAction();
  const [evidence, setEvidence] = useState<(Evidence & { id: string }) | null>(null);
  const reports = useApi(
    () =>
      answer<{ reports: Report[] }>(
        api.GET("/api/v1/counterfeit-reports", { params: { query: { limit: 200 } } } as never),
      ).then((r) => r.reports),
    [],
  );
  const repeats = useApi(
    () => answer<Repeats>(api.GET("/api/v1/counterfeit-reports/repeats", { params: { query: {} } } as never)),
    [],
  );
  const show = async (id: string) => {
    const e = await run("evidence", () =>
      answer<Evidence>(api.GET("/api/v1/counterfeit-reports/{id}/evidence", { params: { path: { id } } } as never)),
    );
    if (e) setEvidence({ ...e, id });
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {repeats.error ? (
        <LoadError state={repeats} />
      ) : (
        <Row gutter={16}>
          <Col xs={24} lg={8}>
            <Card size="small" title={t("cf.repeatPlaces")} loading={repeats.loading}>
              {(repeats.data?.locations ?? []).map((l) => (
                <div key={where(l.location)}>
                  {where(l.location)} · {t("cf.reportsN", { n: l.reports })}
                </div>
              ))}
              {repeats.data?.locations.length === 0 ? <Typography.Text type="secondary">—</Typography.Text> : null}
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" title={t("cf.repeatSellers")} loading={repeats.loading}>
              {(repeats.data?.sellers ?? []).map((s) => (
                <div key={s.companyId}>
                  {s.name} · {t("cf.reportsN", { n: s.reports })}
                </div>
              ))}
              {repeats.data?.sellers.length === 0 ? <Typography.Text type="secondary">—</Typography.Text> : null}
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" title={t("cf.repeatSerials")} loading={repeats.loading}>
              {(repeats.data?.serials ?? []).map((s) => (
                <div key={`${s.gtin}/${s.serial}`}>
                  <Typography.Text code>{s.serial}</Typography.Text> · {t("cf.reportsN", { n: s.reports })}
                </div>
              ))}
              {repeats.data?.serials.length === 0 ? <Typography.Text type="secondary">—</Typography.Text> : null}
            </Card>
          </Col>
        </Row>
      )}
      {reports.error ? (
        <LoadError state={reports} />
      ) : (
        <Table<Report>
          rowKey="id"
          size="small"
          loading={reports.loading}
          dataSource={reports.data}
          data-testid="cf-table"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t("cf.createdAt"), dataIndex: "createdAt", render: (at: string) => <DateTime at={at} /> },
            { title: "GTIN", dataIndex: "gtin" },
            { title: t("cf.serial"), dataIndex: "serial" },
            { title: t("cf.verdict"), dataIndex: "verdict", render: (v: string) => <StatusTag status={v} /> },
            { title: t("cf.location"), dataIndex: "location", render: where },
            { title: t("cf.note"), dataIndex: "note", render: (n: string | null) => n ?? "—" },
            { title: t("common.status"), dataIndex: "status", render: (s: string) => <StatusTag status={s} /> },
            {
              title: t("common.actions"),
              key: "a",
              render: (_: unknown, r) => (
                <Button size="small" onClick={() => void show(r.id)}>
                  {t("cf.evidence")}
                </Button>
              ),
            },
          ]}
        />
      )}
      <Drawer open={evidence !== null} onClose={() => setEvidence(null)} title={t("cf.evidence")} size="large">
        {evidence ? (
          <Space direction="vertical" style={{ width: "100%" }}>
            <Typography.Text>
              {t("cf.sameSerial", { n: evidence.reportsOfSameSerial })} · {t("cf.lastHolder")}:{" "}
              {evidence.lastHolder?.name ?? "—"}
            </Typography.Text>
            <Card size="small" title={t("cf.custody")}>
              {evidence.custody.length === 0 ? (
                <Typography.Text type="warning">{t("cf.neverIssued")}</Typography.Text>
              ) : (
                <Timeline
                  items={evidence.custody.map((s) => ({
                    content: (
                      <span>
                        <DateTime at={s.at} /> · {s.by.name} · {s.placeName}
                      </span>
                    ),
                  }))}
                />
              )}
            </Card>
            <Card size="small" title={t("cf.scans")}>
              {evidence.scans.map((s, i) => (
                <div key={i}>
                  <DateTime at={s.scannedAt} /> · {where(s.location)}
                </div>
              ))}
            </Card>
          </Space>
        ) : null}
      </Drawer>
    </Space>
  );
}
