/**
 * Parts brands sold in China's aftermarket, with the names shops use for them and the shape of each brand's part
 * numbers per part type (`#` a digit, `@` a letter, `*` either). The shapes follow what these brands print (Bosch
 * "0 986 494 xxx" pads, MANN "W 712/xx" oil filters, NGK five-digit stock numbers …); the digits the generator fills
 * in are made up. Written from general trade knowledge: there is no openly licensed parts catalogue.
 */
export interface BrandDef {
  id: string;
  name: string;
  nameZh: string;
  aliases: string[];
  /** Part type id → number shape. */
  formats: Partial<Record<string, string>>;
}

export const BRANDS: BrandDef[] = [
  {
    id: "bosch", name: "Bosch", nameZh: "博世", aliases: ["BOSCH 博世"],
    formats: {
      oil_filter: "0 986 AF# ###", air_filter: "F 026 400 ###", cabin_filter: "1 987 43# ###", fuel_filter: "F 026 403 ###", brake_pad: "0 986 49# ###",
      brake_disc: "0 986 479 ###", spark_plug: "0 242 2## ###", ignition_coil: "0 221 604 ###", wiper_blade: "3 397 ### ###", battery: "0 092 S4# 0##",
      oxygen_sensor: "0 258 0## ###", alternator: "0 986 04# ###", starter: "0 986 02# ###", bulb: "1 987 302 ###", brake_fluid: "1 987 479 ###", water_pump: "1 987 946 ###",
    },
  },
  { id: "mann", name: "MANN-FILTER", nameZh: "曼牌", aliases: ["mann", "曼"], formats: { oil_filter: "W ###/##", air_filter: "C ## ###", cabin_filter: "CUK ## ###", fuel_filter: "WK ###/#" } },
  { id: "mahle", name: "MAHLE", nameZh: "马勒", aliases: [], formats: { oil_filter: "OC ###", air_filter: "LX ####", cabin_filter: "LAK ###", fuel_filter: "KL ###", thermostat: "TX ### ##D", radiator: "CR ### ###" } },
  { id: "hengst", name: "HENGST", nameZh: "汉格斯特", aliases: [], formats: { oil_filter: "H###W##", air_filter: "E####L", cabin_filter: "E####LI", fuel_filter: "H###WK" } },
  { id: "ferodo", name: "FERODO", nameZh: "菲罗多", aliases: [], formats: { brake_pad: "FDB####", brake_disc: "DDF####", brake_fluid: "FBX###" } },
  { id: "trw", name: "TRW", nameZh: "天合", aliases: [], formats: { brake_pad: "GDB####", brake_disc: "DF####", control_arm: "JTC####", ball_joint: "JBJ####", brake_fluid: "PFB###" } },
  { id: "brembo", name: "Brembo", nameZh: "布雷博", aliases: ["布雷博刹车"], formats: { brake_pad: "P ## ###", brake_disc: "09.@###.##" } },
  { id: "textar", name: "Textar", nameZh: "泰明顿", aliases: [], formats: { brake_pad: "2####01", brake_disc: "92######" } },
  { id: "jinqilin", name: "Golden Kylin", nameZh: "金麒麟", aliases: ["麒麟"], formats: { brake_pad: "D####-####", brake_disc: "GQ-####" } },
  { id: "ngk", name: "NGK", nameZh: "NGK", aliases: ["日本特殊陶业"], formats: { spark_plug: "#####", ignition_coil: "U####", oxygen_sensor: "OZA###-@##" } },
  { id: "denso", name: "DENSO", nameZh: "电装", aliases: [], formats: { spark_plug: "@@##@@", ignition_coil: "673-####", alternator: "######-####", starter: "######-###", oxygen_sensor: "DOX-####", cabin_filter: "DCC-####" } },
  { id: "champion", name: "Champion", nameZh: "冠军", aliases: [], formats: { spark_plug: "@@#@@@", wiper_blade: "AP##B" } },
  { id: "valeo", name: "Valeo", nameZh: "法雷奥", aliases: [], formats: { headlamp: "0#####", wiper_blade: "574###", clutch_kit: "8#####", alternator: "43####", tail_lamp: "04####", starter: "45####" } },
  { id: "hella", name: "HELLA", nameZh: "海拉", aliases: [], formats: { headlamp: "1EG ### ###-###", tail_lamp: "2SD ### ###-###", bulb: "8GH ### ###-###" } },
  { id: "depo", name: "DEPO", nameZh: "帝宝", aliases: [], formats: { headlamp: "441-11##-@@-@M", tail_lamp: "441-19##-@@", mirror: "1###M##" } },
  { id: "tyc", name: "TYC", nameZh: "大亿", aliases: [], formats: { headlamp: "20-####-##-#", tail_lamp: "11-####-##-#", mirror: "3#####-###" } },
  { id: "philips", name: "PHILIPS", nameZh: "飞利浦", aliases: [], formats: { bulb: "12###@@" } },
  { id: "osram", name: "OSRAM", nameZh: "欧司朗", aliases: [], formats: { bulb: "64###@@" } },
  { id: "gates", name: "Gates", nameZh: "盖茨", aliases: [], formats: { timing_belt: "####XS", serpentine_belt: "#PK####", water_pump: "WP####", thermostat: "TH#####G#" } },
  { id: "contitech", name: "ContiTech", nameZh: "马牌", aliases: ["大陆", "continental"], formats: { timing_belt: "CT####", serpentine_belt: "#PK####" } },
  { id: "dayco", name: "Dayco", nameZh: "戴科", aliases: [], formats: { timing_belt: "94###", serpentine_belt: "#PK####" } },
  { id: "aisin", name: "AISIN", nameZh: "爱信", aliases: [], formats: { water_pump: "WP@-###", clutch_kit: "@@@-###", atf: "ATF-####" } },
  { id: "luk", name: "LuK", nameZh: "路克", aliases: [], formats: { clutch_kit: "### #### ##" } },
  { id: "sachs", name: "SACHS", nameZh: "萨克斯", aliases: ["采埃孚"], formats: { clutch_kit: "3000 ### ###", shock_absorber: "### ###" } },
  { id: "kyb", name: "KYB", nameZh: "卡亚巴", aliases: [], formats: { shock_absorber: "33####" } },
  { id: "monroe", name: "Monroe", nameZh: "蒙诺", aliases: [], formats: { shock_absorber: "G####" } },
  { id: "lemforder", name: "Lemförder", nameZh: "伦福德", aliases: ["lemforder"], formats: { control_arm: "#### ## ##", ball_joint: "#### ## ##", engine_mount: "#### ## ##" } },
  { id: "febi", name: "febi bilstein", nameZh: "辉门", aliases: ["febi"], formats: { engine_mount: "#####", thermostat: "#####", control_arm: "#####", ball_joint: "#####", timing_chain: "#####" } },
  { id: "delphi", name: "DELPHI", nameZh: "德尔福", aliases: [], formats: { ignition_coil: "GN#####-##B#", fuel_filter: "HDF###", oxygen_sensor: "ES#####-##B#" } },
  { id: "nissens", name: "Nissens", nameZh: "尼森", aliases: [], formats: { radiator: "6####" } },
  { id: "varta", name: "VARTA", nameZh: "瓦尔塔", aliases: [], formats: { battery: "5## ### ###" } },
  { id: "camel", name: "CAMEL", nameZh: "骆驼", aliases: [], formats: { battery: "6-QW-##@" } },
  { id: "sail", name: "SAIL", nameZh: "风帆", aliases: [], formats: { battery: "6-QW-###" } },
  { id: "shell", name: "Shell", nameZh: "壳牌", aliases: ["shell helix"], formats: { engine_oil: "550######", coolant: "SC-####", atf: "550#####A" } },
  { id: "mobil", name: "Mobil", nameZh: "美孚", aliases: [], formats: { engine_oil: "MOB-####-#L" } },
  { id: "castrol", name: "Castrol", nameZh: "嘉实多", aliases: [], formats: { engine_oil: "15####", brake_fluid: "15###B", atf: "15###A" } },
  { id: "sinopec", name: "Sinopec", nameZh: "长城润滑油", aliases: ["长城机油", "中国石化"], formats: { engine_oil: "GW-####", coolant: "GWC-####", brake_fluid: "GWB-###" } },
  { id: "reman", name: "Reman", nameZh: "再制造", aliases: ["再制造件"], formats: { alternator: "RM-AL-######", starter: "RM-ST-######", water_pump: "RM-WP-######", headlamp: "RM-HL-######", clutch_kit: "RM-CK-######" } },
];
