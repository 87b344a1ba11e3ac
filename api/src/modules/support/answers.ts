import type { OrderFacts, PartFacts, ReturnFacts } from "./lookups.js";

/** The assistant's words (Simplified Chinese: the users' language; the console shows them as written). */
const ORDER_STATUS: Record<string, string> = {
  placed: "已下单",
  allocated: "已分配库存，等待卖家备货",
  partially_fulfilled: "部分有货，已分配部分库存",
  picking: "卖家正在备货拣货",
  shipped: "已发货",
  delivered: "已送达",
  completed: "已完成",
  cancelled: "已取消",
};
const PART_STAGE: Record<PartFacts["stage"], string> = {
  commissioned: "已赋码出厂",
  received: "已入库",
  installed: "已装车",
  shipped: "运输中",
};
/** A return's state, and what happens next, in the asker's role (requester or seller). */
const RETURN_STATUS: Record<string, readonly [requester: string, seller: string]> = {
  requested: ["等待卖家审核", "等待您审核"],
  authorised: ["卖家已同意退货，请把件寄回并填写运单号", "已同意退货，等待买家寄回"],
  partially_authorised: ["卖家同意退回部分数量，请把同意的件寄回", "已部分同意，等待买家寄回"],
  refused: ["卖家拒绝了退货", "您已拒绝退货"],
  shipped_back: ["已寄回，等待卖家收货", "买家已寄回，请收货"],
  received: ["卖家已收货，正在检验", "已收货，请检验"],
  inspected: ["卖家已检验，等待处理结果", "已检验，请给出处理结果"],
  resolved: ["已处理", "已处理"],
  closed: ["已关闭", "已关闭"],
};
const RESOLUTION: Record<string, string> = { refund: "退款", replacement: "换货", repair: "维修", refusal: "拒绝" };
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export const say = {
  greeting: () =>
    "您好，我是 PartLedger 售后助手。可以问我订单、物流、退换货、配件真伪，或者平台规则；需要人工请说“转人工”。",
  handover: (reason: string) =>
    reason === "asked"
      ? "好的，正在为您转接人工客服，客服人员会看到我们的全部对话，请稍候。"
      : reason === "failed_twice"
        ? "抱歉，这个问题我没能帮您解决，已为您转接人工客服，请稍候。"
        : "这个问题我不太确定，已为您转接人工客服，请稍候。",
  waiting: () => "您的对话已在人工客服队列中，客服人员会尽快回复您。",
  closed: () => "这个对话已结束。如还有问题，请新建一个对话。",
  noPermission: (what: string) => `您的账号没有查看${what}的权限，请联系贵公司管理员。`,
  order: (o: OrderFacts) =>
    `订单 ${o.id}（${o.buyer ? "您公司采购" : "您公司供货"}）当前状态：${ORDER_STATUS[o.status] ?? o.status}，金额 ${yuan(o.totalFen)}，更新于 ${o.updatedAt.slice(0, 10)}。`,
  delivery: (o: OrderFacts) =>
    o.trackingNo
      ? `订单 ${o.id} ${ORDER_STATUS[o.status] ?? o.status}，承运商 ${o.carrier ?? "—"}，运单号 ${o.trackingNo}。`
      : `订单 ${o.id} 还没有发货（当前：${ORDER_STATUS[o.status] ?? o.status}），卖家发货后这里会显示运单号。`,
  orderNotFound: (id: string) => `没有在您公司的订单里找到 ${id}，请核对订单号（以 ord_ 开头）。`,
  recent: (orders: OrderFacts[], delivery: boolean) =>
    orders.length === 0
      ? "您公司还没有订单。"
      : `请告诉我要查的订单号。您公司最近的订单：\n${orders
          .map((o) =>
            delivery && o.trackingNo
              ? `· ${o.id} ${ORDER_STATUS[o.status] ?? o.status} ${o.carrier ?? ""} ${o.trackingNo}`
              : `· ${o.id} ${ORDER_STATUS[o.status] ?? o.status}`,
          )
          .join("\n")}`,
  returnOf: (o: OrderFacts) =>
    o.status === "delivered" || o.status === "completed"
      ? `订单 ${o.id} 已${o.status === "delivered" ? "送达" : "完成"}，可以申请退换货：请在订单页面选择要退的件并说明原因。`
      : o.status === "cancelled"
        ? `订单 ${o.id} 已取消，无需退货；如已付款，款项按原路退回。`
        : o.status === "shipped"
          ? `订单 ${o.id} 正在运输中，签收后即可申请退换货；如不需要，可以拒收。`
          : `订单 ${o.id} 还没有发货（${ORDER_STATUS[o.status] ?? o.status}），可以直接取消订单，不需要走退货。`,
  returns: (rows: ReturnFacts[]) =>
    rows
      .map((r) => {
        const state = RETURN_STATUS[r.status]?.[r.requester ? 0 : 1] ?? r.status;
        const qty =
          r.authorisedQuantity !== null && r.authorisedQuantity !== r.quantity
            ? `${r.authorisedQuantity}/${r.quantity} 件`
            : `${r.quantity} 件`;
        return `· 退货 ${r.id}（订单 ${r.orderId}，${qty}，${r.requester ? "您公司申请" : "您公司是卖家"}）：${state}${
          r.resolution ? `（${RESOLUTION[r.resolution] ?? r.resolution}）` : ""
        }${r.refundFen !== null ? `，已退款 ${yuan(r.refundFen)}` : ""}${
          r.trackingNo ? `，退货运单号 ${r.trackingNo}` : ""
        }；更新于 ${r.updatedAt.slice(0, 10)}。`;
      })
      .join("\n"),
  returnNotFound: (id: string) => `没有在您公司的退货里找到 ${id}，请核对退货单号（以 rma_ 开头）。`,
  openReturns: (rows: ReturnFacts[]) => `您公司正在处理的退货：\n${say.returns(rows)}`,
  part: (f: PartFacts) =>
    `${f.gtin} / ${f.serial}（批次 ${f.lot}）在链上有 ${f.events} 条流转记录，当前：${PART_STAGE[f.stage]}，${
      f.relation === "made" ? "由您公司生产" : f.relation === "holds" ? "在您公司名下" : "曾经过您公司"
    }；${f.anchored ? "全部记录已上链锚定" : "部分记录正在等待上链锚定"}。要当场核验标签，请用扫码页扫描二维码。`,
  partNotFound: () =>
    "您公司的流转记录里没有这个件。要核验它的真伪，请用扫码页扫描标签上的二维码；如果扫码显示可疑，可以在扫码页一键举报。",
  needPart: () => "请把标签二维码的链接（含 /01/…/21/…）或者 GTIN 和序列号发给我。",
  installations: (vin: string, rows: Array<{ gtin: string; serial: string; installedAt: string }>) =>
    `车辆 ${vin} 在您公司的装车记录：\n${rows.map((r) => `· ${r.installedAt.slice(0, 10)} ${r.gtin} / ${r.serial}`).join("\n")}`,
  noInstallations: (vin: string) => `您公司没有车辆 ${vin} 的装车记录。`,
  needVin: () => "请告诉我车辆的 17 位车架号（VIN）。",
  article: (title: string, body: string) => `【${title}】${body}`,
  noArticle: () => "抱歉，知识库里没有找到这个问题的答案。您可以换个说法，或者说“转人工”。",
};

/** The scan page's verdicts as a visitor reads them (the same words as the page's banner). */
const VERDICT: Record<string, string> = {
  GENUINE: "正品：每一步流转都已由签名公司签署并在链上锚定",
  GENUINE_PENDING_ANCHOR: "正品：记录已签名，最新一步尚在上链确认中",
  UNKNOWN: "无法识别：这不是本平台签发的标签",
  ALREADY_INSTALLED: "注意：记录显示这个配件已经装车",
  SUSPECT_CLONE: "警告：疑似复制标签",
};
const ACT: Record<string, string> = {
  UNKNOWN: "请不要安装，保留配件和包装，可以在本页点“举报假冒配件”。",
  SUSPECT_CLONE: "请不要安装，保留配件和包装，可以在本页点“举报假冒配件”。",
  ALREADY_INSTALLED: "如果您手里的是一个没装过的新件，说明标签可能被复制：请不要安装，并在本页举报。",
};

/** What the assistant says to an anonymous visitor of the scan page: the public verdict and policy, nothing private. */
export const sayScan = {
  greeting: () =>
    "您好，我是 PartLedger 售后助手。可以问我这个配件的扫码结果，或者退换货、质保等平台规则；需要人工请点“转人工”。",
  verdict: (gtin: string, serial: string, verdict: string) =>
    `本页配件（GTIN ${gtin}，序列号 ${serial}）的扫码结果：${VERDICT[verdict] ?? verdict}。${ACT[verdict] ?? ""}`,
  otherPart: () => "在扫码页我只能回答本页这个配件；其他配件请直接扫它标签上的二维码。",
  private: () =>
    "扫码页不能查询订单、退货或装车记录，这些只对下单的公司开放：请登录 PartLedger 控制台查询。也可以点“转人工”。",
  needContact: () => "人工客服需要联系您：请在下面留下手机号或邮箱，再点“转人工”。",
  handedOver: (contact: string) => `已转接人工客服，客服人员会看到这段对话，并通过 ${contact} 联系您。`,
};
