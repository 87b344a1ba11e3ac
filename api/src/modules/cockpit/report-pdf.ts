import PDFDocument from "pdfkit";
import subsetFont from "subset-font";
import { cjkFontFile } from "../labels/label-pdf.js";
import type { CockpitService } from "./cockpit.service.js";

type Summary = Awaited<ReturnType<CockpitService["summary"]>>;
type Skus = Awaited<ReturnType<CockpitService["skus"]>>;
type Regions = Awaited<ReturnType<CockpitService["regions"]>>;

/** A KPI's short name: its Chinese definition up to the colon (履约率：… → 履约率). */
export const kpiName = (zh: string) => zh.split("：")[0]!;

/** A value in its unit, as the console shows it: ratios in %, the rest with one decimal. */
export function formatValue(v: number | null, unit: string): string {
  if (v === null) return "—";
  if (unit === "ratio") return `${(v * 100).toFixed(1)}%`;
  const suffix: Record<string, string> = { hours: " 小时", minutes: " 分钟", days: " 天", levels: " 级", units: " 件" };
  return `${v.toFixed(1)}${suffix[unit] ?? ""}`;
}

const M = 48;
const W = 595.28;
const CJK = "cjk";

/**
 * The printable cockpit report (A4, Chinese): the KPIs with the previous period and each definition, the hot SKUs and
 * the regions short of stock. pdfkit and a per-document subset of Noto Sans Hans, as the labels are (DECISIONS 59).
 */
export async function cockpitPdf(s: Summary, skus: Skus, regions: Regions, generatedAt: Date): Promise<Buffer> {
  const who = s.scope.scope === "*" ? "全平台" : (s.scope.name ?? s.scope.scope);
  const title = `PartLedger 管理驾驶舱报告 · ${who}`;
  const lines: string[] = [
    title,
    `统计期 ${s.period.from} 至 ${s.period.to}（上一期 ${s.previousPeriod.from} 至 ${s.previousPeriod.to}）`,
    `数据更新于 ${s.refreshedAt ?? "—"} · 生成于 ${generatedAt.toISOString()}（UTC）`,
  ];
  const kpiLines = s.kpis.map((k) => ({
    head: `${kpiName(k.definition.zh)}  ${formatValue(k.value, k.unit)}   上一期 ${formatValue(k.previous, k.unit)}${k.verified ? "   【账本验证】" : ""}`,
    def: k.definition.zh,
  }));
  const skuLines = skus.hot.map(
    (x, i) =>
      `${i + 1}. ${[x.brand, x.partNo, x.name].filter(Boolean).join(" ") || `SKU ${x.skuId}`}  ${x.current} 件（上一期 ${x.previous}）`,
  );
  const regionLines = regions.regions
    .filter((r) => r.unfilled > 0 || r.emptySearches > 0)
    .slice(0, 15)
    .map(
      (r) =>
        `${r.name}  订购 ${r.ordered} · 未满足 ${r.unfilled} · 可用库存 ${r.available} · 缺口 ${r.shortfall} · 无结果搜索 ${r.emptySearches}`,
    );
  const headings = ["关键指标", "热销 SKU", "区域供需缺口", "第", "页"];
  const chars = new Set<string>("0123456789 %.-—/:：·（）()");
  for (const t of [...lines, ...kpiLines.flatMap((k) => [k.head, k.def]), ...skuLines, ...regionLines, ...headings])
    for (const ch of t) chars.add(ch);
  const font = await subsetFont(cjkFontFile(), [...chars].join(""), { targetFormat: "sfnt" });

  const doc = new PDFDocument({
    size: "A4",
    margin: M,
    compress: true,
    pdfVersion: "1.4",
    lang: "zh-CN",
    info: { Title: title, Author: "PartLedger", Creator: "PartLedger" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  doc.registerFont(CJK, font);
  const width = W - 2 * M;
  doc.font(CJK).fontSize(15).text(lines[0]!, { width });
  doc.fontSize(9).fillColor("#555555").text(lines[1]!, { width }).text(lines[2]!, { width }).fillColor("black");
  const section = (name: string) => {
    doc.moveDown(0.8).fontSize(12).fillColor("black").text(name, { width }).moveDown(0.3);
  };
  section("关键指标");
  for (const k of kpiLines) {
    doc.fontSize(10).fillColor("black").text(k.head, { width });
    doc.fontSize(8).fillColor("#555555").text(k.def, { width }).moveDown(0.4);
  }
  section("热销 SKU");
  doc.fontSize(9).fillColor("black");
  for (const l of skuLines.length ? skuLines : ["—"]) doc.text(l, { width });
  section("区域供需缺口");
  doc.fontSize(9).fillColor("black");
  for (const l of regionLines.length ? regionLines : ["—"]) doc.text(l, { width });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
