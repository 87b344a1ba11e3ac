import { formatShanghai } from "./format";

/** An instant in Beijing time (Asia/Shanghai), machine-readable in `dateTime`. */
export function DateTime({
  at,
  seconds = false,
}: {
  at: string | number | Date | null | undefined;
  seconds?: boolean;
}) {
  if (at === null || at === undefined) return <span>—</span>;
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{formatShanghai(d, seconds)}</time>;
}
