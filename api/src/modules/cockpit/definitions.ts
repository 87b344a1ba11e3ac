/**
 * Every number of the cockpit with its definition in words (returned next to the number), its unit, and whether it is
 * built on ledger-verified events (signed, batched and anchored custody events), DECISIONS 88.
 */
export const KPI_KEYS = [
  "fill_rate",
  "on_time",
  "cancel_rate",
  "urgent_fill",
  "fulfilment_hours",
  "repurchase_rate",
  "counterfeit_rate",
  "verification_minutes",
  "chain_levels",
  "stock_turnover_days",
  "slow_mover_share",
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/** Metrics whose rows can be drilled into: the KPIs, the hot SKUs and the regional gaps. */
export const METRIC_KEYS = [...KPI_KEYS, "hot_skus", "regions"] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export type Unit = "ratio" | "hours" | "minutes" | "days" | "levels" | "units";

export interface Definition {
  unit: Unit;
  /** Built on ledger events (custody receipts, installations), not only on the platform's own tables. */
  verified: boolean;
  /** Lower is better (the console colours a change by it). */
  lowerIsBetter: boolean;
  zh: string;
  en: string;
}

export const DEFINITIONS: Record<MetricKey, Definition> = {
  fill_rate: {
    unit: "ratio",
    verified: false,
    lowerIsBetter: false,
    zh: "履约率：期内下单的订单中分配给本方的件数里，订单已发货（已发货、已送达、已完成）的件数占比。",
    en: "Fill rate: of the units allocated to the seller on orders placed in the period, the share on orders that have shipped (shipped, delivered or completed).",
  },
  on_time: {
    unit: "ratio",
    verified: false,
    lowerIsBetter: false,
    zh: "准时发货率：期内下单且已发货的订单中，在下单后 24 小时内（加急 4 小时内）发货的占比。",
    en: "On-time shipping: of the orders placed in the period that have shipped, the share shipped within 24 hours of placement (4 hours when urgent).",
  },
  cancel_rate: {
    unit: "ratio",
    verified: false,
    lowerIsBetter: true,
    zh: "取消率：期内下单的订单中已取消的占比（平台：全部订单；企业：分配到本方库存的订单）。",
    en: "Cancellation rate: of the orders placed in the period, the share cancelled (the platform: every order; a company: orders with stock allocated to it).",
  },
  urgent_fill: {
    unit: "ratio",
    verified: false,
    lowerIsBetter: false,
    zh: "加急订单满足率：期内下单的加急订单（含已取消）中，下单时即分配到库存的件数占订购件数的比例（制造商：本方 SKU）。",
    en: "Urgent-order fill rate: of the units ordered on urgent orders placed in the period (cancelled ones included), the share allocated from stock when placed (a manufacturer: its own SKUs).",
  },
  fulfilment_hours: {
    unit: "hours",
    verified: false,
    lowerIsBetter: true,
    zh: "履约时长：期内送达的订单，从下单到买方确认送达的平均小时数。",
    en: "Fulfilment time: for orders delivered in the period, the mean hours from placement to the buyer's confirmation of delivery.",
  },
  repurchase_rate: {
    unit: "ratio",
    verified: false,
    lowerIsBetter: false,
    zh: "复购率：期内下过单（未取消）的买方中，在期内至少两个不同日期下单的占比。",
    en: "Repurchase rate: of the buyers with orders (not cancelled) in the period, the share who ordered on at least two different days of it.",
  },
  counterfeit_rate: {
    unit: "ratio",
    verified: false,
    lowerIsBetter: true,
    zh: "假货投诉率：期内扫码页提交的假货举报数 ÷ 期内验证扫码次数（制造商：本品牌零件；经销商：本方在订单中发出的零件）。",
    en: "Counterfeit complaint rate: counterfeit reports filed from the scan page in the period ÷ verification scans in the period (a manufacturer: parts of its brand; a distributor: parts it shipped on orders).",
  },
  verification_minutes: {
    unit: "minutes",
    verified: true,
    lowerIsBetter: true,
    zh: "验真时长：期内的验证扫码中，零件最近一次账本收货事件之后的首次扫码，距该收货事件的平均分钟数（企业：本方收货的零件）。",
    en: "Verification time: for scans in the period that are a part's first since its latest ledger receipt, the mean minutes from that receipt (a company: parts it received).",
  },
  chain_levels: {
    unit: "levels",
    verified: true,
    lowerIsBetter: true,
    zh: "供应链层级：期内在账本上安装的零件，从赋码到安装经手的不同企业数的平均值（企业：经手过的零件）。",
    en: "Supply-chain levels: for parts installed on the ledger in the period, the mean number of different companies on the ledger from commissioning to installation (a company: parts it handled).",
  },
  stock_turnover_days: {
    unit: "days",
    verified: false,
    lowerIsBetter: true,
    zh: "库存周转天数：期末在库件数 ÷ 期内日均销售件数（分配出库，订单未取消）。期末在库 = 当前在库减去期末之后的库存变动。",
    en: "Stock turnover days: units on hand at the period's end ÷ mean units sold a day in the period (allocated on orders not cancelled). On hand at the end = on hand now less the stock movements after it.",
  },
  slow_mover_share: {
    unit: "ratio",
    verified: false,
    lowerIsBetter: true,
    zh: "滞销占比：期末在库件数中，期内零销售的仓库×SKU 库存行所占的比例。",
    en: "Slow-mover share: of the units on hand at the period's end, the share in warehouse × SKU stock lines that sold nothing in the period.",
  },
  hot_skus: {
    unit: "units",
    verified: false,
    lowerIsBetter: false,
    zh: "热销 SKU：期内订购件数最多的 SKU（经销商：本方售出的件数；制造商：本方 SKU）；上升最快：较上一期增加最多的 SKU。",
    en: "Hot SKUs: the SKUs with the most units ordered in the period (a distributor: units it sold; a manufacturer: its own SKUs); risers: those that gained most on the previous period.",
  },
  regions: {
    unit: "units",
    verified: false,
    lowerIsBetter: true,
    zh: "区域供需缺口：按买方所在地汇总期内订购与未满足件数，按搜索者所在地汇总搜索与无结果搜索（全市场信号），与当地当前可用库存对比；缺口 = 未满足件数减可用库存（不小于 0）。",
    en: "Regional supply–demand gaps: units ordered and left unfilled in the period by the buyer's region, searches and searches that found nothing by the searcher's region (a market-wide signal), against stock available there now; shortfall = unfilled units less available stock (at least 0).",
  },
};
