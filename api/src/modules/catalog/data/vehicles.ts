/**
 * The main makes of China's passenger-car market: make › series › generation (model years) › engines, with the
 * joint-venture or domestic maker that builds each series, and the Chinese World Manufacturer Identifiers (VIN
 * positions 1–3) that NHTSA's vPIC table lacks. Written from general knowledge of the market; model-year ranges are
 * those of the China-built generations. Imported makes beyond these come from data/vehicles (vPIC).
 */
export interface GenerationDef {
  model: string;
  from: number;
  to: number;
  engines: string[];
}

export interface SeriesDef {
  series: string;
  maker: string;
  aliases?: string[];
  generations: GenerationDef[];
}

export interface MakeDef {
  make: string;
  makeEn: string;
  /** The shape of this make's OE part numbers (see scripts/lib/catalog-generator.ts). */
  oeFormat: "vw" | "toyota" | "honda" | "nissan" | "gm" | "hyundai" | "bmw" | "mercedes" | "byd" | "geely" | "generic";
  series: SeriesDef[];
}

const g = (model: string, from: number, to: number, ...engines: string[]): GenerationDef => ({ model, from, to, engines });

export const MAKES: MakeDef[] = [
  {
    make: "大众", makeEn: "Volkswagen", oeFormat: "vw",
    series: [
      { series: "帕萨特", maker: "上汽大众", aliases: ["passat"], generations: [g("帕萨特 B7", 2011, 2018, "1.4T EA211", "1.8T EA888", "2.0T EA888"), g("帕萨特 B8", 2019, 2025, "1.4T EA211", "2.0T EA888")] },
      { series: "朗逸", maker: "上汽大众", aliases: ["lavida"], generations: [g("朗逸 二代", 2013, 2017, "1.6L EA211", "1.4T EA211"), g("朗逸 三代", 2018, 2025, "1.5L EA211", "1.2T EA211", "1.4T EA211")] },
      { series: "途观L", maker: "上汽大众", aliases: ["途观", "tiguan"], generations: [g("途观 一代", 2010, 2017, "1.4T EA111", "1.8T EA888", "2.0T EA888"), g("途观L", 2017, 2025, "1.4T EA211", "2.0T EA888")] },
      { series: "桑塔纳", maker: "上汽大众", aliases: ["santana"], generations: [g("新桑塔纳", 2013, 2022, "1.4L EA211", "1.6L EA211", "1.5L EA211")] },
      { series: "POLO", maker: "上汽大众", aliases: ["波罗", "polo"], generations: [g("POLO Plus", 2019, 2025, "1.5L EA211")] },
      { series: "速腾", maker: "一汽-大众", aliases: ["sagitar"], generations: [g("速腾 MK6", 2012, 2018, "1.4T EA111", "1.6L EA211", "1.8T EA888"), g("速腾 MK7", 2019, 2025, "1.2T EA211", "1.4T EA211", "1.5T EA211")] },
      { series: "迈腾", maker: "一汽-大众", aliases: ["magotan"], generations: [g("迈腾 B7L", 2012, 2016, "1.4T EA111", "1.8T EA888", "2.0T EA888"), g("迈腾 B8L", 2017, 2025, "1.4T EA211", "2.0T EA888")] },
      { series: "宝来", maker: "一汽-大众", aliases: ["bora"], generations: [g("宝来 MK6", 2013, 2018, "1.4T EA211", "1.6L EA211"), g("宝来 MK7", 2019, 2025, "1.5L EA211", "1.2T EA211", "1.4T EA211")] },
      { series: "高尔夫", maker: "一汽-大众", aliases: ["golf"], generations: [g("高尔夫7", 2014, 2019, "1.4T EA211", "1.6L EA211"), g("高尔夫8", 2020, 2025, "1.4T EA211", "2.0T EA888")] },
      { series: "探岳", maker: "一汽-大众", aliases: ["tayron"], generations: [g("探岳", 2018, 2025, "1.4T EA211", "2.0T EA888")] },
    ],
  },
  {
    make: "奥迪", makeEn: "Audi", oeFormat: "vw",
    series: [
      { series: "A4L", maker: "一汽-大众奥迪", aliases: ["奥迪a4l", "a4"], generations: [g("A4L B8", 2013, 2016, "1.8T EA888", "2.0T EA888"), g("A4L B9", 2017, 2025, "2.0T EA888")] },
      { series: "A6L", maker: "一汽-大众奥迪", aliases: ["奥迪a6l", "a6"], generations: [g("A6L C7", 2012, 2018, "2.0T EA888", "2.5L V6"), g("A6L C8", 2019, 2025, "2.0T EA888", "3.0T EA839")] },
      { series: "Q5L", maker: "一汽-大众奥迪", aliases: ["奥迪q5l", "q5"], generations: [g("Q5 8R", 2013, 2017, "2.0T EA888"), g("Q5L", 2018, 2025, "2.0T EA888")] },
    ],
  },
  {
    make: "丰田", makeEn: "Toyota", oeFormat: "toyota",
    series: [
      { series: "卡罗拉", maker: "一汽丰田", aliases: ["corolla"], generations: [g("卡罗拉 E170", 2014, 2018, "1.2T 8NR", "1.6L 1ZR", "1.8L 2ZR"), g("卡罗拉 E210", 2019, 2025, "1.2T 9NR", "1.5L M15A", "1.8L 双擎 8ZR")] },
      { series: "RAV4荣放", maker: "一汽丰田", aliases: ["rav4", "荣放"], generations: [g("RAV4 XA40", 2013, 2019, "2.0L 6ZR", "2.5L 5AR"), g("RAV4 XA50", 2020, 2025, "2.0L M20A", "2.5L 双擎 A25A")] },
      { series: "亚洲龙", maker: "一汽丰田", aliases: ["avalon"], generations: [g("亚洲龙", 2019, 2025, "2.0L M20A", "2.5L A25A")] },
      { series: "凯美瑞", maker: "广汽丰田", aliases: ["camry"], generations: [g("凯美瑞 XV50", 2012, 2017, "2.0L 6AR", "2.5L 2AR"), g("凯美瑞 XV70", 2018, 2025, "2.0L M20A", "2.5L A25A")] },
      { series: "雷凌", maker: "广汽丰田", aliases: ["levin"], generations: [g("雷凌", 2014, 2018, "1.2T 8NR", "1.6L 1ZR", "1.8L 双擎 5ZR"), g("雷凌 二代", 2019, 2025, "1.2T 9NR", "1.5L M15A", "1.8L 双擎 8ZR")] },
      { series: "汉兰达", maker: "广汽丰田", aliases: ["highlander"], generations: [g("汉兰达 三代", 2015, 2021, "2.0T 8AR", "3.5L 2GR"), g("汉兰达 四代", 2022, 2025, "2.5L 双擎 A25A", "2.4T T24A")] },
    ],
  },
  {
    make: "本田", makeEn: "Honda", oeFormat: "honda",
    series: [
      { series: "雅阁", maker: "广汽本田", aliases: ["accord"], generations: [g("雅阁 九代", 2014, 2017, "2.0L R20", "2.4L K24"), g("雅阁 十代", 2018, 2025, "1.5T L15B", "2.0L 混动 LFB")] },
      { series: "飞度", maker: "广汽本田", aliases: ["fit"], generations: [g("飞度 三代", 2014, 2020, "1.5L L15B"), g("飞度 四代", 2021, 2025, "1.5L L15C")] },
      { series: "缤智", maker: "广汽本田", aliases: ["vezel"], generations: [g("缤智", 2015, 2021, "1.5L L15B", "1.8L R18"), g("缤智 二代", 2022, 2025, "1.5L L15Z")] },
      { series: "思域", maker: "东风本田", aliases: ["civic"], generations: [g("思域 十代", 2016, 2021, "1.0T P10A", "1.5T L15B"), g("思域 十一代", 2022, 2025, "1.5T L15C")] },
      { series: "CR-V", maker: "东风本田", aliases: ["crv"], generations: [g("CR-V 四代", 2012, 2016, "2.0L R20", "2.4L K24"), g("CR-V 五代", 2017, 2022, "1.5T L15B", "2.0L 混动 LFB"), g("CR-V 六代", 2023, 2025, "1.5T L15C")] },
      { series: "XR-V", maker: "东风本田", aliases: ["xrv"], generations: [g("XR-V", 2015, 2021, "1.5L L15B", "1.8L R18"), g("XR-V 二代", 2022, 2025, "1.5L L15Z")] },
    ],
  },
  {
    make: "日产", makeEn: "Nissan", oeFormat: "nissan",
    series: [
      { series: "轩逸", maker: "东风日产", aliases: ["sylphy"], generations: [g("轩逸 B17", 2012, 2019, "1.6L HR16", "1.8L MRA8"), g("轩逸 B18", 2020, 2025, "1.6L HR16", "1.2L e-POWER")] },
      { series: "天籁", maker: "东风日产", aliases: ["teana"], generations: [g("天籁 L33", 2013, 2018, "2.0L MR20", "2.5L QR25"), g("天籁 L34", 2019, 2025, "2.0L MR20", "2.0T VC-Turbo")] },
      { series: "奇骏", maker: "东风日产", aliases: ["x-trail", "xtrail"], generations: [g("奇骏 T32", 2014, 2020, "2.0L MR20", "2.5L QR25"), g("奇骏 T33", 2021, 2025, "1.5T VC-Turbo")] },
    ],
  },
  {
    make: "别克", makeEn: "Buick", oeFormat: "gm",
    series: [
      { series: "英朗", maker: "上汽通用别克", aliases: ["excelle"], generations: [g("英朗 XT/GT", 2015, 2018, "1.5L LJO", "1.4T LEF"), g("英朗 三代", 2019, 2025, "1.5L L3G", "1.3T LIY")] },
      { series: "君威", maker: "上汽通用别克", aliases: ["regal"], generations: [g("君威 二代", 2014, 2016, "1.6T LLU", "2.0L LTD"), g("君威 三代", 2017, 2025, "1.5T LFV", "2.0T LTG")] },
      { series: "君越", maker: "上汽通用别克", aliases: ["lacrosse"], generations: [g("君越 三代", 2016, 2025, "1.5T LFV", "2.0T LTG")] },
      { series: "GL8", maker: "上汽通用别克", aliases: ["别克gl8", "gl8陆上公务舱"], generations: [g("GL8 三代", 2017, 2025, "2.0T LTG", "2.5L LAF")] },
    ],
  },
  {
    make: "雪佛兰", makeEn: "Chevrolet", oeFormat: "gm",
    series: [
      { series: "科鲁兹", maker: "上汽通用雪佛兰", aliases: ["cruze"], generations: [g("科鲁兹 一代", 2009, 2016, "1.6L LDE", "1.8L 2H0", "1.5L L2B"), g("科鲁兹 二代", 2017, 2022, "1.5L L3G", "1.0T LIV", "1.3T LIY")] },
      { series: "迈锐宝", maker: "上汽通用雪佛兰", aliases: ["malibu", "迈锐宝XL"], generations: [g("迈锐宝 八代", 2012, 2016, "2.0L LTD", "2.4L LE5", "1.6T LLU"), g("迈锐宝XL", 2016, 2025, "1.5T LFV", "2.0T LTG")] },
    ],
  },
  {
    make: "宝马", makeEn: "BMW", oeFormat: "bmw",
    series: [
      { series: "3系", maker: "华晨宝马", aliases: ["宝马3系", "325li", "320li"], generations: [g("3系 F35", 2013, 2019, "2.0T N20", "2.0T B48"), g("3系 G28", 2020, 2025, "2.0T B48")] },
      { series: "5系", maker: "华晨宝马", aliases: ["宝马5系", "530li", "525li"], generations: [g("5系 F18", 2011, 2017, "2.0T N20", "2.0T B48", "3.0T N55"), g("5系 G38", 2018, 2025, "2.0T B48")] },
      { series: "X3", maker: "华晨宝马", aliases: ["宝马x3"], generations: [g("X3 G08", 2018, 2025, "2.0T B48")] },
    ],
  },
  {
    make: "奔驰", makeEn: "Mercedes-Benz", oeFormat: "mercedes",
    series: [
      { series: "C级", maker: "北京奔驰", aliases: ["奔驰c级", "c260l", "c200l"], generations: [g("C级 W205", 2015, 2021, "1.5T M264", "2.0T M274"), g("C级 W206", 2022, 2025, "1.5T M254", "2.0T M254")] },
      { series: "E级", maker: "北京奔驰", aliases: ["奔驰e级", "e300l", "e260l"], generations: [g("E级 W213", 2017, 2023, "2.0T M274", "2.0T M264"), g("E级 W214", 2024, 2025, "2.0T M254")] },
      { series: "GLC", maker: "北京奔驰", aliases: ["奔驰glc"], generations: [g("GLC X253", 2016, 2022, "2.0T M274", "2.0T M264"), g("GLC X254", 2023, 2025, "2.0T M254")] },
    ],
  },
  {
    make: "现代", makeEn: "Hyundai", oeFormat: "hyundai",
    series: [
      { series: "伊兰特", maker: "北京现代", aliases: ["elantra", "领动"], generations: [g("伊兰特 AD", 2016, 2020, "1.4T G4LD", "1.6L G4FG"), g("伊兰特 CN7", 2021, 2025, "1.5L G4FL", "1.4T G4LD")] },
      { series: "途胜", maker: "北京现代", aliases: ["tucson"], generations: [g("途胜 TL", 2015, 2020, "1.6T G4FJ", "2.0L G4NA"), g("途胜L", 2021, 2025, "1.5T G4FP", "2.0L G4NA")] },
    ],
  },
  {
    make: "比亚迪", makeEn: "BYD", oeFormat: "byd",
    series: [
      { series: "秦", maker: "比亚迪", aliases: ["秦plus", "qin"], generations: [g("秦", 2014, 2020, "1.5T BYD476ZQA"), g("秦PLUS DM-i", 2021, 2025, "1.5L BYD472QA")] },
      { series: "宋", maker: "比亚迪", aliases: ["宋plus", "song"], generations: [g("宋", 2016, 2020, "1.5T BYD476ZQA"), g("宋PLUS DM-i", 2021, 2025, "1.5L BYD472QA", "1.5T BYD472ZQA")] },
      { series: "汉", maker: "比亚迪", aliases: ["比亚迪汉"], generations: [g("汉 DM", 2020, 2025, "1.5T BYD476ZQC")] },
      { series: "唐", maker: "比亚迪", aliases: ["比亚迪唐"], generations: [g("唐 DM", 2018, 2025, "2.0T BYD487ZQA", "1.5T BYD476ZQC")] },
    ],
  },
  {
    make: "吉利", makeEn: "Geely", oeFormat: "geely",
    series: [
      { series: "帝豪", maker: "吉利汽车", aliases: ["emgrand"], generations: [g("帝豪 EC7", 2014, 2017, "1.5L JLγ-4G15", "1.8L JLγ-4G18"), g("帝豪 四代", 2018, 2025, "1.5L JLγ-4G15", "1.4T JLB-4G14T")] },
      { series: "博越", maker: "吉利汽车", aliases: ["boyue"], generations: [g("博越", 2016, 2021, "1.8T JLE-4G18TD", "2.0L JLC-4G20"), g("博越L", 2022, 2025, "1.5T BHE15-EFZ", "2.0T JLH-4G20TDB")] },
      { series: "星越", maker: "吉利汽车", aliases: ["星越L"], generations: [g("星越L", 2021, 2025, "2.0T JLH-4G20TDB", "1.5T BHE15-EFZ")] },
    ],
  },
  {
    make: "长安", makeEn: "Changan", oeFormat: "generic",
    series: [
      { series: "CS75", maker: "长安汽车", aliases: ["cs75plus"], generations: [g("CS75", 2014, 2019, "1.8T JL486ZQ4", "2.0L JL486Q5"), g("CS75 PLUS", 2020, 2025, "1.5T JL473ZQ7", "2.0T JL486ZQ5")] },
      { series: "逸动", maker: "长安汽车", aliases: ["eado"], generations: [g("逸动", 2013, 2018, "1.6L JL478QEE", "1.5T JL476ZQCF"), g("逸动 PLUS", 2019, 2025, "1.6L JL478QEE", "1.4T JL473ZQ5")] },
    ],
  },
  {
    make: "哈弗", makeEn: "Haval", oeFormat: "generic",
    series: [{ series: "H6", maker: "长城汽车", aliases: ["哈弗h6"], generations: [g("H6 二代", 2017, 2020, "1.5T GW4G15B", "2.0T GW4C20"), g("H6 三代", 2021, 2025, "1.5T GW4B15A", "2.0T GW4N20")] }],
  },
  {
    make: "五菱", makeEn: "Wuling", oeFormat: "gm",
    series: [{ series: "宏光", maker: "上汽通用五菱", aliases: ["五菱宏光", "宏光s"], generations: [g("宏光 S", 2013, 2019, "1.5L L2B", "1.2L LAQ"), g("宏光 PLUS", 2020, 2025, "1.5T LJO", "1.5L L2B")] }],
  },
];

/**
 * Chinese World Manufacturer Identifiers → the maker and the catalogue makers it builds for (vPIC lacks most of them).
 * From manufacturers' published VIN plates and China's WMI assignments.
 */
export const CHINA_WMI: Record<string, { name: string; makers: string[] }> = {
  LSV: { name: "上汽大众", makers: ["上汽大众"] },
  LFV: { name: "一汽-大众", makers: ["一汽-大众", "一汽-大众奥迪"] },
  LFM: { name: "一汽丰田", makers: ["一汽丰田"] },
  LFP: { name: "一汽轿车", makers: [] },
  LVG: { name: "广汽丰田", makers: ["广汽丰田"] },
  LHG: { name: "广汽本田", makers: ["广汽本田"] },
  LVH: { name: "东风本田", makers: ["东风本田"] },
  LGB: { name: "东风日产", makers: ["东风日产"] },
  LGA: { name: "东风汽车", makers: [] },
  LDC: { name: "神龙汽车(东风标致/雪铁龙)", makers: [] },
  LSG: { name: "上汽通用", makers: ["上汽通用别克", "上汽通用雪佛兰"] },
  LZW: { name: "上汽通用五菱", makers: ["上汽通用五菱"] },
  LSJ: { name: "上汽乘用车(荣威/名爵)", makers: [] },
  LBV: { name: "华晨宝马", makers: ["华晨宝马"] },
  LE4: { name: "北京奔驰", makers: ["北京奔驰"] },
  LBE: { name: "北京现代", makers: ["北京现代"] },
  LNB: { name: "北京汽车", makers: [] },
  LGX: { name: "比亚迪", makers: ["比亚迪"] },
  LC0: { name: "比亚迪", makers: ["比亚迪"] },
  LB3: { name: "吉利汽车", makers: ["吉利汽车"] },
  L6T: { name: "吉利汽车", makers: ["吉利汽车"] },
  LS5: { name: "长安汽车", makers: ["长安汽车"] },
  LVS: { name: "长安福特", makers: [] },
  LGW: { name: "长城汽车", makers: ["长城汽车"] },
  LVV: { name: "奇瑞汽车", makers: [] },
  LRW: { name: "特斯拉(上海)", makers: [] },
  LJD: { name: "东风悦达起亚", makers: [] },
  LYV: { name: "沃尔沃亚太", makers: [] },
};
