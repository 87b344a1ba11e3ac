/** Encryption key status (platform): configured versions, ciphertexts under each, rotation behind a confirm. */
import { App, Button, Descriptions, Space, Table, Tag } from "antd";
import { answer, api, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { LoadError, useAction } from "../common/kit";

interface KeyStatus {
  currentVersion: number;
  versions: number[];
  byVersion: Record<string, number>;
}

export default function EncryptionKeys() {
  const t = useT();
  const { modal } = App.useApp();
  const status = useApi(() => answer<KeyStatus>(api.GET("/api/v1/platform/encryption-keys")), []);
  const { run, busy } = useAction();
  if (status.error) return <LoadError state={status} />;
  const s = status.data;
  const rows = s
    ? [...new Set([...s.versions, ...Object.keys(s.byVersion).map(Number)])]
        .sort((a, b) => b - a)
        .map((v) => ({ version: v, count: s.byVersion[String(v)] ?? 0, configured: s.versions.includes(v) }))
    : [];
  const rotate = () =>
    modal.confirm({
      title: t("enc.rotate"),
      content: t("enc.rotate.confirm", { v: s?.currentVersion ?? "?" }),
      okText: t("common.ok"),
      cancelText: t("common.cancel"),
      onOk: () =>
        run(
          "rotate",
          () => answer<{ reencrypted: number }>(api.POST("/api/v1/platform/encryption-keys/rotate")),
          (r) => t("enc.rotated", { n: r.reencrypted }),
        ).then(status.reload),
    });
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="enc-status">
        <Descriptions.Item label={t("enc.current")}>{s ? `v${s.currentVersion}` : "…"}</Descriptions.Item>
        <Descriptions.Item label={t("enc.configured")}>
          {s ? s.versions.map((v) => `v${v}`).join(", ") : "…"}
        </Descriptions.Item>
      </Descriptions>
      <Table
        rowKey="version"
        size="small"
        loading={status.loading}
        dataSource={rows}
        pagination={false}
        data-testid="enc-table"
        columns={[
          {
            title: t("enc.version"),
            dataIndex: "version",
            render: (v: number) => (
              <>
                v{v} {v === s?.currentVersion && <Tag color="green">{t("enc.inUse")}</Tag>}
              </>
            ),
          },
          { title: t("enc.count"), dataIndex: "count", render: (n: number) => n.toLocaleString() },
        ]}
      />
      <Can perm="encryption_key:configure">
        <Button danger onClick={rotate} loading={busy === "rotate"} data-testid="enc-rotate">
          {t("enc.rotate")}
        </Button>
      </Can>
    </Space>
  );
}
