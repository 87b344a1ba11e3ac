/**
 * An audit action in words: `order.create` → 订单 · 创建 / order · created. Actions are `<resource>.<verb>`; each half
 * is looked up on its own, so a new module's actions read half in words before anyone adds them here, and an
 * unknown half shows as written. The code itself stays beside the words (it is what the filter takes).
 */
import type { Locale } from "../../i18n";

type Words = Record<string, readonly [zh: string, en: string]>;

const RESOURCES: Words = {
  api_key: ["API 密钥", "API key"],
  approval: ["审批", "approval"],
  audit_log: ["审计日志", "audit log"],
  catalog: ["商品目录", "catalogue"],
  chain: ["区块链", "chain"],
  company: ["公司", "company"],
  counterfeit_report: ["假货举报", "counterfeit report"],
  custody: ["流转记录", "custody"],
  customer_price: ["客户价", "customer price"],
  encryption_key: ["加密密钥", "encryption key"],
  gs1_prefix: ["GS1 厂商前缀", "GS1 prefix"],
  installation: ["安装记录", "installation"],
  label: ["标签", "label"],
  order: ["订单", "order"],
  part: ["配件身份", "part identity"],
  personal_data: ["个人信息", "personal data"],
  replenishment: ["补货", "replenishment"],
  role: ["角色", "role"],
  seasonal_factor: ["季节系数", "seasonal factor"],
  session: ["登录会话", "session"],
  stock: ["库存", "stock"],
  supplier_location: ["供货网点", "supplier location"],
  tenant: ["跨公司访问", "cross-company access"],
  transfer: ["调拨", "transfer"],
  user: ["用户", "user"],
  warehouse: ["仓库", "warehouse"],
  webhook: ["Webhook", "webhook"],
  return: ["退货", "return"],
  compensation_rules: ["秒赔规则", "compensation rules"],
  recall: ["召回", "recall"],
  invoice: ["发票", "invoice"],
  payment_terms: ["账期", "payment terms"],
  warehouse_receipt: ["仓单", "warehouse receipt"],
  credit_consent: ["征信授权", "credit consent"],
  credit_profile: ["信用档案", "credit profile"],
  support: ["客服", "support"],
  support_article: ["知识库文章", "knowledge base article"],
  cockpit: ["驾驶舱", "cockpit"],
  rfq: ["询价", "request for quotes"],
  promotion: ["促销", "promotion"],
};

const VERBS: Words = {
  create: ["创建", "created"],
  update: ["修改", "updated"],
  delete: ["删除", "deleted"],
  revoke: ["撤销", "revoked"],
  adopt: ["接管", "adopted"],
  submit: ["提交", "submitted"],
  approve: ["批准", "approved"],
  approved: ["批准", "approved"],
  reject: ["驳回", "rejected"],
  rejected: ["驳回", "rejected"],
  export: ["导出", "exported"],
  import: ["导入", "imported"],
  merge: ["合并", "merged"],
  merge_undo: ["撤销合并", "merge undone"],
  synonym_put: ["编辑同义词", "synonym saved"],
  synonym_delete: ["删除同义词", "synonym deleted"],
  synonym_import: ["导入同义词", "synonyms imported"],
  gas_topup: ["充值 Gas", "gas topped up"],
  status: ["状态变更", "status changed"],
  dispatch: ["发出整箱", "carton dispatched"],
  set: ["设置", "set"],
  rotate: ["轮换", "rotated"],
  reveal: ["查看明文", "revealed"],
  purchase_approved: ["采购已批准", "purchase approved"],
  settings: ["设置", "settings changed"],
  put: ["保存", "saved"],
  cross_access: ["被拒绝", "refused"],
  part_class: ["设置配件类别", "part class set"],
  configure: ["设置", "configured"],
  sync: ["ERP 同步", "ERP sync"],
  share: ["共享设置", "sharing changed"],
  propose: ["发起", "proposed"],
  receipt: ["入库", "received into stock"],
  return: ["退货入库", "returned into stock"],
  adjustment: ["盘点调整", "adjusted"],
  receive: ["收货", "received"],
  received: ["收货", "received"],
  ship: ["发货", "shipped"],
  shipped: ["发货", "shipped"],
  cancel: ["取消", "cancelled"],
  cancelled: ["取消", "cancelled"],
  allocated: ["已分配", "allocated"],
  picking: ["拣货", "picking"],
  completed: ["完成", "completed"],
  adjust: ["调整", "adjusted"],
  sale: ["售出", "sold"],
  verified: ["已验证", "verified"],
  refresh: ["刷新", "refreshed"],
  report: ["生成报告", "report made"],
  issue: ["开具", "issued"],
  payment: ["收款", "payment recorded"],
  grant: ["授予", "granted"],
  view: ["查看", "viewed"],
  progress: ["进度更新", "progress"],
  close: ["关闭", "closed"],
  closed: ["关闭", "closed"],
  swap_suspected: ["疑似调包", "swap suspected"],
  accept: ["接受报价", "quote accepted"],
  quote: ["报价", "quoted"],
  handover: ["转人工", "handed over"],
  pledge: ["质押", "pledged"],
  release: ["解押", "released"],
  authorised: ["同意退货", "authorised"],
  partially_authorised: ["部分同意", "partly authorised"],
  refused: ["拒绝", "refused"],
  shipped_back: ["寄回", "shipped back"],
  inspected: ["已检验", "inspected"],
  resolved: ["已处理", "resolved"],
};

/** The action in the locale's words, or null when neither half is known (the code alone is then shown). */
export function auditActionWords(action: string, locale: Locale): string | null {
  const dot = action.indexOf(".");
  const resource = dot < 0 ? action : action.slice(0, dot);
  const verb = dot < 0 ? "" : action.slice(dot + 1);
  const i = locale === "en" ? 1 : 0;
  const r = RESOURCES[resource]?.[i];
  const v = VERBS[verb]?.[i];
  if (!r && !v) return null;
  return [r ?? resource, v ?? verb].filter(Boolean).join(" · ");
}
