import type { ServiceBill } from "../finance/invoices.service.js";
import type { SettlementRow } from "./services.repository.js";
import type { ServiceCategory } from "./service-states.js";

/**
 * How a settlement is billed in finance (DECISIONS 114), pure. The shop's invoice carries the service charge and any
 * damage claims (价外费用: taxed with the service), VAT inside at the category's rate; the platform's commission is
 * billed to the provider at the rate of its own service (平台服务费, 6 %). The deposit the provider holds pays what it
 * covers of the shop's invoice: deposit − refund, which is charge + claims − due by the settlement's identity.
 */
export const SERVICE_VAT_BP: Record<ServiceCategory, number> = {
  training: 600, // 生活服务 · 教育辅助 (non-degree training)
  equipment_rental: 1300, // 有形动产租赁
  logistics: 900, // 交通运输 · 货物运输
};
export const COMMISSION_VAT_BP = 600; // 现代服务 · 经纪代理 / 信息技术服务

const CATEGORY_ZH: Record<ServiceCategory, string> = {
  training: "培训",
  equipment_rental: "设备租赁",
  logistics: "物流配送",
};

/** What the shop's invoice says it sold: the service line (if it cost anything) and one line per damage claim. */
export interface BillItems {
  service: string;
  claims?: ReadonlyArray<{ reason: string; amountFen: number }>;
}

export function serviceBill(
  s: Pick<
    SettlementRow,
    | "id"
    | "providerId"
    | "shopId"
    | "category"
    | "grossFen"
    | "commissionFen"
    | "commissionRateBp"
    | "claimsFen"
    | "depositFen"
    | "refundFen"
  >,
  items: BillItems,
  by: string,
): ServiceBill {
  const claims = items.claims ?? [];
  const claimed = claims.reduce((t, c) => t + c.amountFen, 0);
  if (claimed !== s.claimsFen) throw new RangeError(`claims ${claimed} ≠ the settlement's ${s.claimsFen} fen`);
  const lines = [
    ...(s.grossFen > 0 ? [{ description: items.service, amountFen: s.grossFen }] : []),
    ...claims.map((c) => ({ description: `损坏赔偿：${c.reason}`, amountFen: c.amountFen })),
  ];
  const pct = (s.commissionRateBp / 100).toFixed(2).replace(/\.?0+$/, "");
  return {
    settlementId: s.id,
    providerId: s.providerId,
    shopId: s.shopId,
    lines,
    taxRateBp: SERVICE_VAT_BP[s.category],
    depositAppliedFen: s.depositFen - s.refundFen,
    commission: {
      description: `平台服务费：${CATEGORY_ZH[s.category]} ${pct}%，结算 ${s.id}，服务金额 ${s.grossFen} 分`,
      amountFen: s.commissionFen,
      taxRateBp: COMMISSION_VAT_BP,
    },
    by,
  };
}
