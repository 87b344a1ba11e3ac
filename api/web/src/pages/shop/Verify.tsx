/**
 * Scan-to-verify inside the console: a scanned or typed part link is resolved by the same resolver as the public scan
 * page (GET /01/{gtin}/21/{serial} with Accept: application/json, the link's lot and signature passed on), and the
 * verdict shown with the public page's colours and words.
 */
import { Alert, Card, Flex, Timeline, Typography } from "antd";
import { useState } from "react";
import { answer, api, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { ScanInput } from "../../widgets/ScanInput";
import { parsePartLink, VERDICT_COLORS } from "./lib";

type Verdict = Answer<"/01/{gtin}/21/{serial}", "get">;

export default function Verify() {
  const t = useT();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const onScan = async (code: string) => {
    const link = parsePartLink(code);
    setVerdict(null);
    if (!link) return setError(t("shop.install.badLink"));
    setError(undefined);
    setBusy(true);
    try {
      setVerdict(
        await answer<Verdict>(
          api.GET("/01/{gtin}/21/{serial}", {
            params: { path: { gtin: link.gtin, serial: link.serial }, query: link.query },
            headers: { accept: "application/json" },
          }),
        ),
      );
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={12} data-testid="shop-verify">
      <ScanInput
        onScan={(c) => void onScan(c)}
        label={t("shop.verify.label")}
        placeholder={t("shop.verify.label")}
        disabled={busy}
      />
      {error && <Alert type="error" showIcon title={error} />}
      {verdict && <VerdictCard v={verdict} />}
    </Flex>
  );
}

function VerdictCard({ v }: { v: Verdict }) {
  const t = useT();
  const color = VERDICT_COLORS[v.verdict];
  return (
    <Card
      size="small"
      data-testid="shop-verdict"
      data-verdict={v.verdict}
      data-reason={v.reason}
      data-serial={v.part.serial}
    >
      <div
        role="status"
        style={{
          background: color,
          color: "#fff",
          padding: "14px 16px",
          borderRadius: 8,
          fontSize: 24,
          fontWeight: 700,
        }}
      >
        {t(`shop.verdict.${v.verdict}`)}
      </div>
      <Flex vertical gap={4} style={{ marginTop: 12 }}>
        <Typography.Text strong>
          {[v.part.brand, v.part.name].filter(Boolean).join(" · ") || v.part.gtin}
        </Typography.Text>
        <Typography.Text>
          GTIN {v.part.gtin} · {t("shop.install.serial")} {v.part.serial}
          {v.part.lot ? ` · ${t("shop.verify.lot")} ${v.part.lot}` : ""}
        </Typography.Text>
        {v.part.manufacturer && (
          <Typography.Text type="secondary">
            {t("shop.verify.maker")} {v.part.manufacturer}
          </Typography.Text>
        )}
        {v.verdict !== "GENUINE" && v.verdict !== "GENUINE_PENDING_ANCHOR" && (
          <Alert
            type={v.verdict === "ALREADY_INSTALLED" ? "warning" : "error"}
            showIcon
            title={t(`shop.verdict.todo.${v.verdict}`)}
          />
        )}
        {v.timeline.length > 0 && (
          <Timeline
            style={{ marginTop: 8 }}
            items={v.timeline.map((s) => ({
              content: (
                <span>
                  {t(`shop.step.${s.step}`)} · {s.by.name} · {s.placeName} · <DateTime at={s.at} />
                  {s.vin ? ` · VIN ${s.vin}` : ""}
                </span>
              ),
            }))}
          />
        )}
      </Flex>
    </Card>
  );
}
