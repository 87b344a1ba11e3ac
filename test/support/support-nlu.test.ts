import { expect } from "chai";
import { classify, extractSlots } from "../../api/src/modules/support/intents.js";
import { KnowledgeIndex } from "../../api/src/modules/support/knowledge.js";
import { maskText } from "../../api/src/modules/support/masking.js";
import { Segmenter } from "../../api/src/modules/support/segment.js";
import { ARTICLES } from "../helpers/support-world.js";
import { VIN } from "../helpers/stack.js";

describe("support assistant's language: slots, intents, segmentation, retrieval, masking", () => {
  it("reads order numbers, Digital Links (query and encoding aside) and VINs only with a right check character", () => {
    expect(extractSlots("订单ORD_0123456789ABCDEF到哪了")).to.deep.equal({ orderId: "ord_0123456789abcdef" });
    expect(extractSlots("https://pl.example.cn/01/06901234567892/21/AB3M%2F9?10=L1&s=x")).to.deep.equal({
      gtin: "06901234567892",
      serial: "AB3M/9",
    });
    expect(extractSlots(`车架号 ${VIN.toLowerCase()}`).vin).to.equal(VIN);
    const wrong = VIN.slice(0, 8) + (VIN[8] === "1" ? "2" : "1") + VIN.slice(9);
    expect(extractSlots(`车架号 ${wrong}`).vin).to.equal(undefined);
    expect(extractSlots("序列号：7k3m9p2qx4r8").serial).to.equal("7K3M9P2QX4R8");
  });

  it("asks for a person on 转人工 whatever else is said; a greeting before an unrelated request is not a greeting", () => {
    expect(classify("订单 ord_0123456789abcdef 到哪了 算了转人工").intent).to.equal("handover");
    expect(classify("你好").intent).to.equal("greeting");
    expect(classify("您好，请问帮我写首诗？").intent).to.equal("unknown");
    expect(classify("定单ord_0123456789abcdef怎么申请退宽")).to.include({ intent: "return" });
    expect(classify("asdfgh")).to.deep.include({ intent: "unknown", confidence: 0 });
  });

  it("cuts Han text by the dictionary, longest first, and indexes bigrams too", () => {
    const seg = new Segmenter(["退货", "退货政策", "政策"]);
    expect(seg.segment("退货政策是什么")).to.deep.equal(["退货政策", "是", "什", "么"]);
    expect(seg.terms("开专票")).to.include.members(["开专", "专票"]);
  });

  it("finds the knowledge-base article a question is about, and none for an unrelated one", () => {
    const index = new KnowledgeIndex(
      new Segmenter(),
      ARTICLES.map((a, i) => ({ id: `kb_${i}`, ...a })),
    );
    expect(index.search("能开增值税专票吗")[0]!.article.title).to.equal("发票怎么开");
    expect(index.search("满多少钱包邮")[0]!.article.title).to.equal("运费与包邮");
    expect(index.search("子账号怎么加")[0]!.article.title).to.equal("账号、子账号与密码");
    expect(index.search("今天天气怎么样")).to.deep.equal([]);
  });

  it("keeps text with mobiles, VINs and e-mail addresses masked", () => {
    expect(maskText(`电话+86 138-1234-5678，车 ${VIN}，邮箱 wang@example.cn`)).to.equal(
      `电话138****5678，车 ${VIN.slice(0, 3)}**********${VIN.slice(-4)}，邮箱 w***@example.cn`,
    );
  });
});
