import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { digitalLinkUri } from "../../ledger-service/src/gs1/digital-link.js";
import { OPERATOR, PUBLIC_BASE, type startApi } from "./app.js";
import { GTIN, VIN, handOver, type TestStack } from "./stack.js";

type Api = Awaited<ReturnType<typeof startApi>>;

/** An order of `buyer` written directly (the assistant reads orders; placing them is the orders module's story). */
export async function fixtureOrder(stack: TestStack, buyerId: string, status: string, tracking: string | null) {
  const id = `ord_${randomBytes(8).toString("hex")}`;
  await stack.svc.db.sql.query(
    `INSERT INTO orders (id, buyer_id, status, policy, ship_lng, ship_lat, total_fen, carrier, tracking_no)
     VALUES ($1, $2, $3, 'partial', 120.1, 30.2, 12345, $4, $5)`,
    [id, buyerId, status, tracking ? "顺丰" : null, tracking],
  );
  return id;
}

/** A platform person holding `roles`: a session token. */
export async function platformUser(api: Api, stack: TestStack, roles: string[]) {
  const mobile = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const u = await api.call("POST", "/api/v1/users", OPERATOR, {
    name: "客服小王",
    mobile,
    password: "correct horse battery",
  });
  expect(u.status, JSON.stringify(u.json)).to.equal(201);
  await stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [u.json.id, roles]);
  return (await api.call("POST", "/api/v1/auth/login", null, { login: mobile, password: "correct horse battery" })).json
    .token as string;
}

export const ARTICLES = [
  {
    title: "退货政策",
    body: "签收后 7 天内可申请退货，配件须未安装、包装完好；质量问题运费由卖家承担，退款在收到退货后 3 个工作日内原路退回。",
    keywords: ["退货", "退款", "七天无理由", "换货", "运费"],
  },
  {
    title: "发票怎么开",
    body: "订单完成后在订单详情页申请发票，支持增值税专用发票和普通发票，3 个工作日内开具。",
    keywords: ["发票", "开票", "专票", "普票", "税点"],
  },
  {
    title: "质保与保修",
    body: "原厂配件按品牌方质保执行，一般为 1 年或 2 万公里；保修期内非人为损坏可免费更换。",
    keywords: ["保修", "质保", "保修期"],
  },
  {
    title: "运费与包邮",
    body: "单笔订单满 300 元包邮，不满收取 10 元运费；急件可选顺丰到付。",
    keywords: ["运费", "包邮", "邮费", "到付"],
  },
  {
    title: "付款与账期",
    body: "支持对公转账、微信、支付宝；资质审核通过的修理厂可申请月结，账期 30 天。",
    keywords: ["付款方式", "支付", "对公", "月结", "账期"],
  },
  {
    title: "客服工作时间",
    body: "在线客服 9:00-21:00，节假日不休；夜间可留言，次日上午回复。",
    keywords: ["营业时间", "工作时间", "上班时间", "几点"],
  },
  {
    title: "账号、子账号与密码",
    body: "企业管理员可在“人员”页添加子账号并分配角色；忘记密码请让管理员重置，或用手机号验证码登录。",
    keywords: ["账号", "子账号", "密码", "登录", "登陆", "权限"],
  },
  {
    title: "入驻资质",
    body: "入驻需提供营业执照（统一社会信用代码）、法人身份证明；修理厂另需维修经营备案。",
    keywords: ["入驻", "资质", "注册"],
  },
];

/**
 * The world the labelled support questions are asked in: a repair shop asking (a buyer), its own shipped order and a
 * part it received, and another shop's order and part (what must never show); the knowledge base above.
 */
export async function supportWorld(api: Api, stack: TestStack) {
  const asker = (await api.userWithRoles("shop", ["buyer"])).token;
  const agent = await platformUser(api, stack, ["support_agent"]);
  const order = await fixtureOrder(stack, api.ids.shop!, "shipped", "SF1234567890");
  const foreignOrder = await fixtureOrder(stack, api.ids.farShop!, "shipped", "SF9999999999");
  const minted = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
    gtin: GTIN,
    lot: "L-SUPPORT",
    productionDate: "2026-11-20",
    count: 2,
  });
  expect(minted.status, JSON.stringify(minted.json)).to.equal(201);
  const [own, foreign] = (minted.json.serials as string[]).map((serial) => ({ gtin: GTIN, serial }));
  await handOver(stack, api.ids.maker!, api.ids.shop!, [own!]);
  await handOver(stack, api.ids.maker!, api.ids.farShop!, [foreign!]);
  for (const a of ARTICLES) {
    const r = await api.call("POST", "/api/v1/support/articles", agent, a);
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
  }
  const link = (p: { gtin: string; serial: string }) => digitalLinkUri(PUBLIC_BASE, { ...p, lot: "L-SUPPORT" });
  return {
    asker,
    agent,
    order,
    foreignOrder,
    ownPart: own!,
    foreignPart: foreign!,
    /** A labelled question with its placeholders filled. */
    fill: (text: string) =>
      text
        .replaceAll("{FOREIGN_ORDER}", foreignOrder)
        .replaceAll("{ORDER}", order)
        .replaceAll("{FOREIGN_LINK}", link(foreign!))
        .replaceAll("{LINK}", link(own!))
        .replaceAll("{VIN}", VIN),
    /** What of the other company's a reply must never contain. */
    secrets: ["SF9999999999", foreign!.serial],
  };
}
