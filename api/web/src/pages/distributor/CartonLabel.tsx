import { PrinterOutlined } from "@ant-design/icons";
import { Button, Modal, QRCode, Space, Typography } from "antd";
import { useT } from "../../i18n";
import type { CartonView } from "./types";

/**
 * A printable carton label: the QR of the carton's code (a GS1 Digital Link …/00/{sscc}, or the dispatch id), the
 * code in words, sender, receiver and part count. Printing uses the browser's print of this dialog.
 */
export function CartonLabel({ carton, onClose }: { carton: CartonView; onClose(): void }) {
  const t = useT();
  const code = carton.sscc ? `(00) ${carton.sscc}` : carton.id;
  return (
    <Modal
      open
      title={t("carton.label.title", { code })}
      onCancel={onClose}
      footer={
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t("carton.label.print")}
        </Button>
      }
    >
      <Space orientation="vertical" align="center" style={{ width: "100%" }} data-testid="carton-label">
        <QRCode type="svg" value={carton.labelCode} size={220} bordered={false} errorLevel="M" />
        <Typography.Text strong style={{ fontSize: 18, fontVariantNumeric: "tabular-nums" }}>
          {code}
        </Typography.Text>
        <Typography.Text>
          {carton.from.name} → {carton.to.name}
        </Typography.Text>
        <Typography.Text>
          {t("carton.parts")}: {carton.partCount}
        </Typography.Text>
        <Typography.Text type="secondary">{t("carton.label.hint")}</Typography.Text>
      </Space>
    </Modal>
  );
}
