/**
 * Whether PUBLIC_BASE_URL can be opened by a phone: every printed label carries it, so a loopback, unspecified or
 * link-local host (127.x, localhost, ::1, 0.0.0.0, 169.254.x, fe80::) makes labels that no scanner can open.
 * Private LAN addresses (10.x, 192.168.x) are left alone: phones on that network can reach them.
 */
export function unroutableHost(publicBaseUrl: string): string | null {
  let host: string;
  try {
    host = new URL(publicBaseUrl).hostname.toLowerCase();
  } catch {
    return publicBaseUrl;
  }
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare.endsWith(".localhost")) return host;
  if (/^(127|0)\.\d+\.\d+\.\d+$/.test(bare) || /^169\.254\.\d+\.\d+$/.test(bare)) return host;
  if (bare === "::1" || bare === "::" || /^fe[89ab][0-9a-f]?:/.test(bare)) return host;
  if (/^::ffff:(127|0)\./.test(bare) || /^::ffff:7f/.test(bare)) return host;
  return null;
}

/** The warning shown at start and on the label screen, or null when the base URL is one phones can open. */
export function publicBaseUrlWarning(publicBaseUrl: string): { code: string; message: string } | null {
  const host = unroutableHost(publicBaseUrl);
  if (host === null) return null;
  return {
    code: "LABEL.BASE_URL_UNREACHABLE",
    message: `PUBLIC_BASE_URL ${publicBaseUrl} points at ${host}, which phones cannot open: labels printed now will not scan to a page. Set PUBLIC_BASE_URL to the address phones reach (e.g. https://parts.example.cn).`,
  };
}
