import { Tag } from "antd";
import { hasMessage, useT } from "../i18n";

const COLORS: Record<string, string> = {
  pending: "gold",
  final: "green",
  active: "green",
  disabled: "default",
  failed: "red",
  rejected: "red",
  approved: "green",
};

/** A status word as a coloured tag, translated when i18n has `status.<value>` (else shown as is). */
export function StatusTag({ status, color }: { status: string; color?: string }) {
  const t = useT();
  const key = `status.${status}`;
  return <Tag color={color ?? COLORS[status] ?? "blue"}>{hasMessage(key) ? t(key) : status}</Tag>;
}
