import { formatFen } from "./format";

/** An amount in integer fen, shown in yuan: <Money fen={123450} /> → ¥1,234.50 */
export function Money({ fen }: { fen: number | bigint | string | null | undefined }) {
  if (fen === null || fen === undefined) return <span>—</span>;
  return <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatFen(fen)}</span>;
}
