/**
 * The demo world's starter knowledge base: what the platform's support team would publish first, written from how this
 * product behaves (the SLAs, compensation rules, disputes, verification and onboarding as built), so the assistant
 * answers policy questions in the first minute. A real deployment writes its own (console 客服知识库).
 */
export const DEMO_ARTICLES = [
  {
    title: "退货怎么申请、多久处理",
    body:
      "订单发货后，可在控制台“退货”页按订单行申请退货（带序列号的件请扫码或填写序列号，可上传照片）。卖家须在 2 天内" +
      "处理申请；同意后请寄回并填写运单号，卖家收货并检验后 3 天内给出退款、换货或维修结果。带序列号的件只接受当初卖出的" +
      "那一件，换了件会被系统识别为调包。",
    keywords: ["退货", "退款", "换货", "退回", "寄回", "退货进度"],
  },
  {
    title: "秒赔：什么情况下自动退款",
    body:
      "平台和卖家都开启秒赔时，质量问题退货如果在质保期内、链上记录证明是卖出的那一件、未安装（或安装不久）、您的账户" +
      "记录良好且卖家当月额度未用完，会在提交申请的同时自动同意并退款；其余情况由卖家人工处理。",
    keywords: ["秒赔", "自动退款", "赔付", "质量问题"],
  },
  {
    title: "卖家拒绝退货怎么办",
    body:
      "卖家拒绝后，您可以在退货详情里发起争议，补充照片和说明。平台客服会查看链上流转记录和双方证据，由两位平台人员" +
      "核定结果；判定退款的，款项直接退回。",
    keywords: ["拒绝", "争议", "申诉", "仲裁", "不同意"],
  },
  {
    title: "怎么验证配件真伪",
    body:
      "用手机扫描配件标签上的二维码，页面会显示绿色“正品”、琥珀色“已安装”或红色“无法识别”。红色或提示可疑时请不要" +
      "安装，并点页面上的“举报假货”，品牌方和平台会收到举报和扫码证据。",
    keywords: ["真伪", "正品", "假货", "验证", "扫码", "防伪"],
  },
  {
    title: "召回件怎么处理",
    body:
      "品牌方发起召回后，持有召回件的企业会收到通知，订单不能再卖出召回的序列号；装过召回件的修理厂会收到安装记录，" +
      "请联系车主回厂更换。",
    keywords: ["召回", "召回件", "回厂"],
  },
  {
    title: "入驻资质与审核",
    body:
      "新企业在控制台注册页上传营业执照并填写统一社会信用代码，平台两位审核员先后批准后即可交易；未通过会写明原因，" +
      "修改后可以重新提交。",
    keywords: ["入驻", "资质", "注册", "审核", "营业执照"],
  },
] as const;
