/**
 * What the manufacturer's screens share: the answer types they read (as the OpenAPI document declares them,
 * DECISIONS 58), GTIN check digits, the anchoring state in a clerk's words, and binary downloads through the
 * API client (labels need the Bearer token, so they are fetched as blobs, never linked).
 */
import { CheckCircleOutlined, CloudUploadOutlined, FieldTimeOutlined } from "@ant-design/icons";
import { Tag } from "antd";
import { api, type Answer } from "../../api/client";
import type { components } from "../../api/schema";
import { useT } from "../../i18n";

type Schemas = components["schemas"];
export type Gs1Prefix = Schemas["Gs1Prefix"];
export type Prefixes = Answer<"/api/v1/gs1-prefixes", "get">;
export type RunSummary = Schemas["MintRunSummary"];
export type AnchoringState = RunSummary["anchoring"]["state"];
export type Runs = Answer<"/api/v1/mint", "get">;
export type RunDetail = Answer<"/api/v1/mint/{runId}", "get">;
export type Product = Schemas["Product"];
export type Products = Answer<"/api/v1/products", "get">;
/** POST /api/v1/mint's answer (201). */
export type MintResult = Schemas["MintRun"];
/**
 * The label settings (GET /api/v1/labels/settings, from the labels module): the base URL printed into codes, the
 * server's warning when phones cannot open it, and the layouts the PDF offers. The screen computes none of this.
 */
export type LabelSettings = Schemas["LabelSettings"];

/** GS1 mod-10 check digit of the digits before it. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** A GTIN-13 (as printed on boxes) or GTIN-14 → its GTIN-14, or why not (for the form's message). */
export function toGtin14(
  input: string,
): { gtin: string } | { error: "digits" } | { error: "check"; expected: number; got: string } {
  const s = input.trim();
  if (!/^\d{13,14}$/.test(s)) return { error: "digits" };
  const g = s.length === 13 ? `0${s}` : s;
  const want = gs1CheckDigit(g.slice(0, 13));
  return Number(g[13]) === want ? { gtin: g } : { error: "check", expected: want, got: g[13]! };
}

/** The verified prefix a GTIN-14 is under (longest first, after its indicator digit), if any. */
export function prefixOf(gtin14: string, verified: readonly string[]): string | undefined {
  const g13 = gtin14.slice(1);
  return [...verified].sort((a, b) => b.length - a.length).find((p) => g13.startsWith(p));
}

const ANCHOR_ICON = {
  recorded: <FieldTimeOutlined />,
  anchored: <CloudUploadOutlined />,
  final: <CheckCircleOutlined />,
};
const ANCHOR_COLOR = { recorded: "gold", anchored: "blue", final: "green" } as const;

/** antd's preset tag text (gold-6, green-7 …) fails WCAG AA contrast on its pale background: the darkest shade. */
const TAG_TEXT = { gold: "#874d00", blue: "#003a8c", green: "#135200", red: "#a8071a" } as const;
export const tagStyle = (color: keyof typeof TAG_TEXT) => ({ color: TAG_TEXT[color] });

/**
 * antd's error red (#ff4d4f) fails WCAG AA contrast for the form's messages: forms of these screens sit in a
 * ConfigProvider with a darker red (5.6:1 on white). The shell's theme could adopt it for every screen.
 */
export const FORM_THEME = { token: { colorError: "#cf1322" } };

/** A table's empty text, readable (antd's default grey fails contrast). */
export function EmptyText({ text }: { text: string }) {
  return <span style={{ color: "rgba(0, 0, 0, 0.65)" }}>{text}</span>;
}

/** 已记录，等待上链 → 已上链，等待确认 → 已最终确认 */
export function AnchoringTag({ state }: { state: AnchoringState }) {
  const t = useT();
  return (
    <Tag
      color={ANCHOR_COLOR[state]}
      style={tagStyle(ANCHOR_COLOR[state])}
      icon={ANCHOR_ICON[state]}
      data-testid="anchoring"
      data-state={state}
    >
      {t(`mfr.anchoring.${state}`)}
    </Tag>
  );
}

/** GET through the client, the answer as a Blob (PDF, PNG): the middleware adds the token and throws problems. */
export async function getBlob(path: string, params: { path?: Record<string, string>; query?: Record<string, string> }) {
  const r = await (api.GET as (p: string, init: object) => Promise<{ data?: unknown }>)(path, {
    params,
    parseAs: "blob",
  });
  return r.data as Blob;
}

/** Saves a Blob under `filename` (the browser's download). */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
