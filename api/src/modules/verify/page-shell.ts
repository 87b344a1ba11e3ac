export type Lang = "zh" | "en";

/** HTML-escapes any value for text and attribute positions. */
export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A UTC instant shown in Asia/Shanghai. */
export const shanghai = (iso: string) =>
  new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

/**
 * The banner colours, each with white text at ≥ 4.5:1 contrast (WCAG AA for the small reason line too): green for
 * genuine, amber for caution, red for a code we cannot vouch for.
 */
export const COLOR = {
  GENUINE: "#1a7f37",
  GENUINE_PENDING_ANCHOR: "#1a7f37",
  ALREADY_INSTALLED: "#8a5a00",
  SUSPECT_CLONE: "#c4121f",
  UNKNOWN: "#c4121f",
} as const;

const STYLE = `
  body { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f6f8fa; color: #1f2328; }
  main { max-width: 560px; margin: 0 auto; padding: 16px; }
  .verdict { color: #fff; border-radius: 12px; padding: 18px 16px; }
  .verdict h1 { font-size: 22px; font-weight: 600; margin: 0; }
  .reason { font-size: 15px; font-weight: 400; margin: 6px 0 0; }
  section, details { background: #fff; border-radius: 12px; padding: 12px 16px; margin-top: 12px; }
  h2 { font-size: 17px; margin: 4px 0 10px; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 0; font-size: 15px; } dt { color: #59636e; } dd { margin: 0; overflow-wrap: anywhere; }
  ol { padding: 0; margin: 0; } ol.steps { list-style: none; } .step { border-left: 3px solid #d0d7de; padding: 4px 0 10px 12px; }
  .what { font-weight: 600; } .meta, .chain { font-size: 14px; color: #59636e; overflow-wrap: anywhere; } .chain.final { color: #1a7f37; }
  .advice { border: 2px solid #c4121f; } .advice.caution { border-color: #8a5a00; }
  .advice ol { padding-left: 22px; font-size: 16px; line-height: 1.6; } .advice li { margin: 2px 0; }
  .advice strong { color: #a40e26; }
  form { margin-top: 12px; } label { display: block; font-size: 15px; margin: 10px 0 4px; }
  textarea, input[type=text] { box-sizing: border-box; width: 100%; font: inherit; font-size: 16px; padding: 8px; border: 1px solid #6e7781; border-radius: 8px; }
  .hint { font-size: 13px; color: #59636e; margin: 4px 0 0; }
  button { margin-top: 12px; width: 100%; min-height: 48px; font: inherit; font-size: 17px; font-weight: 600; color: #fff; background: #c4121f; border: 0; border-radius: 10px; }
  button:focus-visible, a:focus-visible, summary:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
  summary { cursor: pointer; font-weight: 600; min-height: 32px; }
  .tech { font-size: 13px; color: #59636e; } .tech code { overflow-wrap: anywhere; font-size: 12px; }
  nav { text-align: right; font-size: 15px; margin-bottom: 8px; } a { color: #0550ae; }
`;

/** A whole server-rendered page: no script (the CSP allows none), inline styles only. */
export function shell(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · PartLedger</title>
<style>${STYLE}</style>
</head>
<body><main>
${body}
</main></body></html>`;
}

/** The CSP of a page whose one form posts to this server (the default policy allows no form at all). */
export const FORM_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
