/**
 * ECharts in the console: only the parts the charts use (bar, line, map; grid, tooltip, legend, visual map; canvas), so
 * the chunk stays small. Imported only by chart pages (lazy), never by the login page or the layout.
 */
import { BarChart, LineChart, MapChart } from "echarts/charts";
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import { init, use, type ComposeOption, type ECharts } from "echarts/core";
import type { BarSeriesOption, LineSeriesOption, MapSeriesOption } from "echarts/charts";
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

use([
  AriaComponent,
  BarChart,
  LineChart,
  MapChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | MapSeriesOption
  | AriaComponentOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/**
 * One chart: `option` is applied on every change (not merged), the chart follows its box's width. For screen readers
 * (the canvas itself says nothing) ECharts' aria writes the container's aria-label: `label` as it is, or with
 * `describe` ECharts' own description of the data after it (series, names and values); a table carries the numbers.
 */
export function EChart({
  option,
  height = 320,
  label,
  testId,
  describe = false,
  onClick,
}: {
  option: ChartOption;
  height?: number;
  label: string;
  testId?: string;
  describe?: boolean;
  onClick?: (name: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    const el = box.current!;
    const c = init(el, undefined, { renderer: "canvas" });
    chart.current = c;
    c.on("click", (p) => click.current?.(String((p as { name?: string }).name ?? "")));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(
      {
        ...option,
        aria: { enabled: true, label: describe ? { general: { withoutTitle: `${label}。` } } : { description: label } },
      },
      { notMerge: true },
    );
  }, [option, label, describe]);
  return <div ref={box} role="img" aria-label={label} data-testid={testId} style={{ width: "100%", height }} />;
}
