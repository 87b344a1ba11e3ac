import { Tag } from "antd";
import type { ReactNode } from "react";

/** Text colours that keep 4.5:1 on white (antd's preset tag colours fall short of WCAG AA at 12 px). */
export const TONES = {
  green: "#1a7f37",
  blue: "#0958d9",
  purple: "#531dab",
  cyan: "#006d75",
  gold: "#874d00",
  red: "#a8071a",
  grey: "#434343",
} as const;
export type Tone = keyof typeof TONES;

/** A tag in one of TONES: coloured text and border on white. */
export function ToneTag({ tone, children }: { tone: Tone; children: ReactNode }) {
  const color = TONES[tone];
  return <Tag style={{ color, borderColor: color, background: "#fff" }}>{children}</Tag>;
}
