/** Every string of the console in Simplified Chinese (the default). en.ts must have exactly these keys. */
export const zhCN = {
  "app.name": "PartLedger 控制台",
  "app.loading": "加载中…",
  "app.retry": "重试",
  "app.notFound": "找不到这个页面",
  "app.notFound.back": "返回首页",
  "app.language": "语言",
  "app.forbidden": "你没有使用此页面的权限",

  "login.title": "登录 PartLedger",
  "login.subtitle": "汽车配件溯源与交易平台",
  "login.identifier": "手机号或邮箱",
  "login.identifier.required": "请输入手机号或邮箱",
  "login.password": "密码",
  "login.password.required": "请输入密码",
  "login.submit": "登录",
  "login.expired": "登录已过期，请重新登录",

  "user.logout": "退出登录",
  "user.menu": "用户菜单",

  "kind.manufacturer": "制造商",
  "kind.distributor": "经销商",
  "kind.repair_shop": "维修厂",
  "kind.platform": "平台运营",

  "menu.home": "首页",
  "menu.myCompany": "我的公司",

  "home.welcome": "欢迎，{name}",
  "home.you": "当前用户",
  "home.company": "所属公司",
  "home.roles": "角色",
  "home.quickLinks": "常用功能",
  "home.noLinks": "暂无可用功能",

  "company.title": "我的公司",
  "company.name": "公司名称",
  "company.uscc": "统一社会信用代码",
  "company.kind": "类型",
  "company.region": "行政区划代码",
  "company.location": "位置(经度, 纬度)",
  "company.address": "链上地址",
  "company.custodial": "链上密钥",
  "company.custodial.yes": "平台托管",
  "company.custodial.no": "自行保管",
  "company.createdAt": "注册时间",

  "scan.placeholder": "扫码或输入后按回车",
  "scan.camera": "用摄像头扫码",
  "scan.camera.title": "对准二维码",
  "scan.camera.denied": "无法打开摄像头：{reason}",
  "scan.camera.close": "关闭",

  "status.pending": "处理中",
  "status.final": "已确认",
  "status.active": "正常",
  "status.disabled": "已停用",

  "error.generic": "出错了：{detail}",
  "error.network": "无法连接服务器，请检查网络",
  "error.AUTH.INVALID_CREDENTIALS": "账号或密码错误",
  "error.AUTH.LOCKED": "登录失败次数过多，账号已暂时锁定，请稍后再试",
  "error.AUTH.REQUIRED": "请先登录",
  "error.AUTH.SESSION_EXPIRED": "登录已过期，请重新登录",
  "error.AUTH.USER_DISABLED": "此账号已停用",
  "error.AUTH.FORBIDDEN": "没有权限执行此操作",
  "error.RATE.LIMITED": "操作太频繁，请稍后再试",
  "error.REQUEST.INVALID": "输入有误：{detail}",
} as const;

export type MessageKey = keyof typeof zhCN;
