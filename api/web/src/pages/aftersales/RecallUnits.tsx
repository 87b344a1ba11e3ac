/**
 * A recall's units (GET /api/v1/recalls/{id}/units): all of them for the manufacturer, one's own for a holder or an
 * installing shop. The manufacturer records progress on the selected units (returned, replaced, unreachable …).
 */
import { Button, Select, Space, Table, Tag } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { LoadError, useAction } from "../common/kit";

export const PROGRESS = ["located", "returned", "replaced", "unreachable"] as const;
type Progress = (typeof PROGRESS)[number];
const COLOR: Record<Progress, string> = { located: "blue", returned: "green", replaced: "cyan", unreachable: "red" };
const STAGES = ["commissioned", "received", "installed", "shipped"];

export interface RecallUnit {
  gtin: string;
  serial: string;
  lot: string;
  holderId: string | null;
  stage: string;
  installationId: string | null;
  installerId: string | null;
  progress: Progress;
  updatedAt: string;
}

export function RecallUnits({ id, editable, onChanged }: { id: string; editable: boolean; onChanged?(): void }) {
  const t = useT();
  const [selected, setSelected] = useState<string[]>([]);
  const [progress, setProgress] = useState<Progress>("returned");
  const { run, busy } = useAction();
  const units = useApi(
    () =>
      answer<{ units: RecallUnit[] }>(
        api.GET("/api/v1/recalls/{id}/units", { params: { path: { id }, query: { limit: 5000 } } } as never),
      ).then((r) => r.units),
    [id],
  );
  const record = async () => {
    const parts = (units.data ?? [])
      .filter((u) => selected.includes(`${u.gtin}/${u.serial}`))
      .map((u) => ({ gtin: u.gtin, serial: u.serial }));
    const ok = await run(
      "progress",
      () =>
        answer(
          api.POST("/api/v1/recalls/{id}/progress", {
            params: { path: { id } },
            body: { progress, parts },
          } as never),
        ),
      t("rc.recorded", { n: parts.length }),
    );
    if (ok) {
      setSelected([]);
      units.reload();
      onChanged?.();
    }
  };
  if (units.error) return <LoadError state={units} />;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {editable ? (
        <Can perm="recall:edit">
          <Space wrap>
            <Select<Progress>
              value={progress}
              onChange={setProgress}
              aria-label={t("rc.markAs")}
              style={{ minWidth: 140 }}
              options={PROGRESS.map((p) => ({ value: p, label: t(`rc.${p}`) }))}
            />
            <Button
              type="primary"
              disabled={!selected.length}
              loading={busy === "progress"}
              onClick={() => void record()}
              data-testid="recall-record"
            >
              {t("rc.record", { n: selected.length })}
            </Button>
          </Space>
        </Can>
      ) : null}
      <Table<RecallUnit>
        rowKey={(u) => `${u.gtin}/${u.serial}`}
        size="small"
        loading={units.loading}
        dataSource={units.data}
        data-testid="recall-units"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        rowSelection={
          editable ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined
        }
        columns={[
          { title: t("rc.serial"), dataIndex: "serial" },
          { title: t("rc.lot"), dataIndex: "lot" },
          {
            title: t("rc.stage"),
            dataIndex: "stage",
            render: (s: string) => (STAGES.includes(s) ? t(`rc.stage.${s}` as never) : s),
          },
          { title: t("rc.holder"), dataIndex: "holderId", render: (h: string | null) => h ?? "—" },
          {
            title: t("rc.installedBy"),
            dataIndex: "installerId",
            render: (h: string | null) => h ?? "—",
          },
          {
            title: t("rc.progress"),
            dataIndex: "progress",
            render: (p: Progress) => <Tag color={COLOR[p]}>{t(`rc.${p}`)}</Tag>,
          },
          { title: t("rc.updatedAt"), dataIndex: "updatedAt", render: (at: string) => <DateTime at={at} /> },
        ]}
      />
    </Space>
  );
}
