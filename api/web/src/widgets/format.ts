/** Formatting shared by the widgets (pure functions, also for table cells and tests). */
const yuan = new Intl.NumberFormat("zh-CN", { style: "currency", currency: "CNY", minimumFractionDigits: 2 });

/** Integer fen → "¥1,234.50". */
export function formatFen(fen: number | bigint | string): string {
  const n = typeof fen === "number" ? fen : Number(fen);
  return yuan.format(n / 100);
}

const shanghai = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** An instant in Beijing time: "2026-12-01 16:04" (with seconds when asked), whatever the browser's zone. */
export function formatShanghai(at: string | number | Date, seconds = false): string {
  const parts = Object.fromEntries(shanghai.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const time = `${parts.hour}:${parts.minute}${seconds ? `:${parts.second}` : ""}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time}`;
}

/** "13812345678" → "138****5678"; already masked or other shapes pass through. */
export function maskMobile(mobile: string | null | undefined): string {
  if (!mobile) return "";
  const m = mobile.replace(/^\+?86/, "");
  return /^\d{11}$/.test(m) ? `${m.slice(0, 3)}****${m.slice(7)}` : mobile;
}
