import { maskMobile } from "./format";

/** A mobile number with its middle four digits hidden: 138****5678. */
export function MaskedMobile({ mobile }: { mobile: string | null | undefined }) {
  return <span>{maskMobile(mobile) || "—"}</span>;
}
