/**
 * The aftermarket category tree (保养配件 › 滤清器 › 机油滤清器 …) down to part types, written from general trade
 * knowledge. Each part type carries the names a shop uses for it (colloquial names and synonyms are searched like the
 * name), the attributes its SKUs describe, and whether it comes per axle side (前/后).
 */
export interface AttributeDef {
  id: string;
  name: string;
  unit?: string;
}

export interface CategoryNode {
  id: string;
  name: string;
  children?: CategoryNode[];
  /** Leaves: part types. */
  types?: Array<{ id: string; name: string; synonyms: string[]; attributes?: AttributeDef[]; positions?: Array<"前" | "后"> }>;
}

export interface PartTypeDef {
  id: string;
  name: string;
  synonyms: string[];
  attributes: AttributeDef[];
  positions?: Array<"前" | "后">;
  /** Category names from the root, e.g. ["保养配件", "滤清器"]. */
  path: string[];
  /** Category ids from the root (a filter by any of them keeps the type). */
  categoryIds: string[];
}

const thread: AttributeDef = { id: "thread", name: "螺纹规格" };
const height: AttributeDef = { id: "height", name: "高度", unit: "mm" };
const diameter: AttributeDef = { id: "diameter", name: "直径", unit: "mm" };
const length: AttributeDef = { id: "length", name: "长度", unit: "mm" };
const width: AttributeDef = { id: "width", name: "宽度", unit: "mm" };
const thickness: AttributeDef = { id: "thickness", name: "厚度", unit: "mm" };
const viscosity: AttributeDef = { id: "viscosity", name: "粘度等级" };
const volume: AttributeDef = { id: "volume", name: "容量", unit: "L" };

export const CATEGORY_TREE: CategoryNode[] = [
  {
    id: "maintenance",
    name: "保养配件",
    children: [
      {
        id: "filters",
        name: "滤清器",
        types: [
          { id: "oil_filter", name: "机油滤清器", synonyms: ["机滤", "机油滤芯", "机油滤", "机油格", "oil filter"], attributes: [thread, height, diameter] },
          { id: "air_filter", name: "空气滤清器", synonyms: ["空滤", "空气滤芯", "空气格", "air filter"], attributes: [length, width, height] },
          { id: "cabin_filter", name: "空调滤清器", synonyms: ["空调滤芯", "空调格", "空调滤", "cabin filter"], attributes: [length, width, height] },
          { id: "fuel_filter", name: "燃油滤清器", synonyms: ["汽油滤芯", "汽滤", "燃油滤芯", "汽油格", "fuel filter"], attributes: [diameter, length] },
        ],
      },
      {
        id: "ignition",
        name: "点火系统",
        types: [
          { id: "spark_plug", name: "火花塞", synonyms: ["火嘴", "spark plug"], attributes: [thread, { id: "gap", name: "电极间隙", unit: "mm" }, { id: "heat_range", name: "热值" }] },
          { id: "ignition_coil", name: "点火线圈", synonyms: ["高压包", "点火器", "ignition coil"] },
        ],
      },
      {
        id: "fluids",
        name: "油液",
        types: [
          { id: "engine_oil", name: "机油", synonyms: ["发动机油", "润滑油", "全合成机油", "engine oil"], attributes: [viscosity, volume] },
          { id: "brake_fluid", name: "刹车油", synonyms: ["制动液", "刹车液", "brake fluid"], attributes: [{ id: "grade", name: "等级" }, volume] },
          { id: "coolant", name: "防冻液", synonyms: ["冷却液", "水箱宝", "coolant"], attributes: [{ id: "freeze_point", name: "冰点", unit: "°C" }, volume] },
          { id: "atf", name: "变速箱油", synonyms: ["波箱油", "自动变速箱油", "ATF"], attributes: [volume] },
        ],
      },
      {
        id: "wipers",
        name: "雨刮",
        types: [{ id: "wiper_blade", name: "雨刮片", synonyms: ["雨刮", "雨刷", "雨刷片", "雨刮器", "雨刷器", "wiper"], attributes: [length] }],
      },
    ],
  },
  {
    id: "brakes",
    name: "制动系统",
    types: [
      { id: "brake_pad", name: "刹车片", synonyms: ["制动片", "刹车皮", "来令片", "brake pad"], attributes: [width, height, thickness], positions: ["前", "后"] },
      { id: "brake_disc", name: "刹车盘", synonyms: ["制动盘", "刹车碟", "碟盘", "brake disc"], attributes: [diameter, thickness], positions: ["前", "后"] },
    ],
  },
  {
    id: "engine",
    name: "发动机系统",
    types: [
      { id: "timing_belt", name: "正时皮带", synonyms: ["正时带", "同步带", "timing belt"], attributes: [{ id: "teeth", name: "齿数" }, width] },
      { id: "timing_chain", name: "正时链条", synonyms: ["正时链", "timing chain"] },
      { id: "serpentine_belt", name: "发电机皮带", synonyms: ["多楔带", "外皮带", "发动机皮带", "附件皮带"], attributes: [length] },
      { id: "water_pump", name: "水泵", synonyms: ["冷却水泵", "电子水泵", "water pump"] },
      { id: "thermostat", name: "节温器", synonyms: ["温控器", "thermostat"], attributes: [{ id: "opening", name: "开启温度", unit: "°C" }] },
      { id: "engine_mount", name: "发动机支架", synonyms: ["机脚胶", "发动机脚胶", "机爪胶", "悬置"] },
      { id: "radiator", name: "散热器", synonyms: ["水箱", "radiator"] },
    ],
  },
  {
    id: "electrical",
    name: "电器系统",
    types: [
      { id: "battery", name: "蓄电池", synonyms: ["电瓶", "电池", "battery"], attributes: [{ id: "capacity", name: "容量", unit: "Ah" }, { id: "cca", name: "冷启动电流", unit: "A" }] },
      { id: "alternator", name: "发电机", synonyms: ["交流发电机", "alternator"] },
      { id: "starter", name: "起动机", synonyms: ["启动机", "马达", "starter"] },
      { id: "oxygen_sensor", name: "氧传感器", synonyms: ["氧传感", "含氧传感器", "O2传感器"] },
    ],
  },
  {
    id: "lighting",
    name: "灯具",
    types: [
      { id: "headlamp", name: "大灯总成", synonyms: ["前大灯", "大灯", "前照灯", "头灯", "headlamp"] },
      { id: "tail_lamp", name: "尾灯总成", synonyms: ["尾灯", "后尾灯", "后组合灯"] },
      { id: "bulb", name: "灯泡", synonyms: ["卤素灯泡", "车灯泡", "bulb"] },
    ],
  },
  {
    id: "chassis",
    name: "底盘悬挂",
    types: [
      { id: "shock_absorber", name: "减震器", synonyms: ["避震器", "减振器", "避震", "shock absorber"], positions: ["前", "后"] },
      { id: "control_arm", name: "控制臂", synonyms: ["下摆臂", "摆臂", "三角臂"], positions: ["前", "后"] },
      { id: "ball_joint", name: "球头", synonyms: ["下球头", "摆臂球头", "转向球头"] },
      { id: "clutch_kit", name: "离合器套件", synonyms: ["离合器三件套", "离合片", "离合器片", "clutch"] },
    ],
  },
  {
    id: "body",
    name: "车身附件",
    types: [
      { id: "mirror", name: "后视镜总成", synonyms: ["倒车镜", "反光镜", "后视镜"] },
      { id: "bumper", name: "保险杠", synonyms: ["保险杆", "前杠", "杠皮"], positions: ["前", "后"] },
    ],
  },
];

let flat: PartTypeDef[] | undefined;

/** Every part type with its category path, in tree order. */
export function partTypes(): PartTypeDef[] {
  if (flat) return flat;
  const out: PartTypeDef[] = [];
  const walk = (node: CategoryNode, path: string[], ids: string[]) => {
    const p = [...path, node.name];
    const i = [...ids, node.id];
    for (const t of node.types ?? []) out.push({ ...t, attributes: t.attributes ?? [], path: p, categoryIds: i });
    for (const c of node.children ?? []) walk(c, p, i);
  };
  for (const n of CATEGORY_TREE) walk(n, [], []);
  flat = out;
  return out;
}

/** Part types shops ask for most, most first (wear and maintenance parts); breaks ties between near-miss names. */
export const TYPE_POPULARITY: readonly string[] = [
  "brake_pad", "oil_filter", "air_filter", "cabin_filter", "wiper_blade", "spark_plug", "engine_oil", "brake_disc", "battery",
  "fuel_filter", "headlamp", "shock_absorber", "brake_fluid", "coolant", "timing_belt", "serpentine_belt", "ignition_coil",
];
