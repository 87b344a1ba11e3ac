/**
 * An API problem as a sentence for the user (pure: no client, no React, so unit tests import it).
 * The message is `error.<CODE>` from i18n, with the problem's members (`expected`, `from`, `field` …) as variables;
 * a variant `error.<CODE>+a+b` is preferred when the problem carries `a` and `b` (it can say more). A code without a
 * translation becomes a generic sentence naming the code — never the server's English `detail`.
 */
export type Lookup = (key: string, vars?: Record<string, string | number>) => string;

export interface ProblemLike {
  code: string;
  detail?: string;
  params?: Readonly<Record<string, unknown>>;
}

/** The message key for a problem among `keys` (all message keys), or undefined when the code has none. */
export function problemKey(code: string, params: Readonly<Record<string, unknown>>, keys: readonly string[]) {
  const base = `error.${code}`;
  const variants = keys
    .filter((k) => k.startsWith(`${base}+`))
    .map((k) => ({ k, needs: k.slice(base.length + 1).split("+") }))
    .sort((a, b) => b.needs.length - a.needs.length);
  const fit = variants.find((v) => v.needs.every((n) => params[n] !== undefined && params[n] !== null));
  if (fit) return fit.k;
  return keys.includes(base) ? base : undefined;
}

/** Values that name a stage or an order status are shown in words (`stage.Installed`, `shop.orderStatus.shipped`). */
const WORDS = ["stage", "shop.orderStatus"];

export function problemText(t: Lookup, keys: readonly string[], p: ProblemLike): string {
  const params = p.params ?? {};
  const vars: Record<string, string | number> = { code: p.code, detail: p.detail ?? "" };
  for (const [name, v] of Object.entries(params)) {
    if (typeof v === "number") vars[name] = v;
    else if (typeof v === "string") {
      const word = WORDS.map((w) => `${w}.${v}`).find((k) => keys.includes(k));
      vars[name] = word ? t(word) : v;
    }
  }
  const key = problemKey(p.code, params, keys);
  return t(key ?? "error.unknownCode", vars);
}
