import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { AppError } from "../../../../ledger-service/src/index.js";

/** Resolves a host name to every address it has (the default is the system resolver, like any HTTP client). */
export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

type Range = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Which addresses a webhook may reach: public unicast only — never loopback, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local (169.254/16 with the cloud metadata service, fe80::/10), CGNAT (100.64/10, where Alibaba
 * Cloud's metadata lives), unspecified, multicast, broadcast, reserved or documentation ranges, nor IPv6 forms that
 * embed an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo) — unless the operator allows a named network
 * (WEBHOOK_ALLOW_CIDRS, e.g. an on-premises ERP at 10.20.0.0/16).
 */
export class WebhookTargets {
  private readonly allowed: Array<[Range, number]>;

  constructor(
    allowCidrs: readonly string[] = [],
    private readonly resolve: Resolve = systemResolve,
  ) {
    this.allowed = allowCidrs.map((c) => {
      try {
        return ipaddr.parseCIDR(c.trim());
      } catch {
        throw new Error(
          `WEBHOOK_ALLOW_CIDRS: ${JSON.stringify(c)} is not a CIDR network like 10.20.0.0/16 or fd00:1::/48`,
        );
      }
    });
  }

  /** Why `address` may not be reached (the range's name), or null when it may. */
  refusal(address: string): string | null {
    if (!ipaddr.isValid(address)) return "not an IP address";
    let ip: Range = ipaddr.parse(address);
    if (this.allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return null;
    if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
      ip = (ip as ipaddr.IPv6).toIPv4Address();
      if (this.allowed.some(([net, bits]) => net.kind() === "ipv4" && ip.match(net, bits))) return null;
      const inner = ip.range();
      return inner === "unicast" ? null : `IPv4-mapped ${inner}`;
    }
    const range = ip.range();
    return range === "unicast" ? null : range;
  }

  /**
   * The addresses `url`'s host stands for, all of them checked; throws WEBHOOK.FORBIDDEN_TARGET naming the first
   * refused one. Numeric hosts in any spelling (2130706433, 0x7f.1, 0177.0.0.1) reach here as dotted IPv4, since
   * the WHATWG URL parser normalises them.
   */
  async check(url: URL): Promise<string[]> {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    let addresses: string[];
    if (ipaddr.isValid(host)) addresses = [host];
    else {
      try {
        addresses = await this.resolve(host);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "error";
        throw new AppError("WEBHOOK.UNRESOLVABLE", `url: host ${host} does not resolve (${code})`, 400, {
          field: "url",
        });
      }
      if (addresses.length === 0)
        throw new AppError("WEBHOOK.UNRESOLVABLE", `url: host ${host} has no address`, 400, { field: "url" });
    }
    for (const a of addresses) {
      const why = this.refusal(a);
      if (why) {
        throw new AppError(
          "WEBHOOK.FORBIDDEN_TARGET",
          `url: ${host}${a === host ? "" : ` resolves to ${a}, which`} is a ${why} address; webhooks reach public ` +
            "addresses only (an operator may allow a network with WEBHOOK_ALLOW_CIDRS)",
          400,
          { field: "url", address: a, range: why },
        );
      }
    }
    return addresses;
  }

  /**
   * A `lookup` for http.request: resolves and checks the host at connection time and hands the socket exactly the
   * checked address, so a name that resolved to a public address when subscribed and re-binds to an internal one
   * later is refused (no second resolution happens between the check and the connect).
   */
  lookup(): LookupFunction {
    return (hostname, options, callback) => {
      this.check(new URL(`http://${hostname.includes(":") ? `[${hostname}]` : hostname}/`))
        .then((addresses) => {
          const family = (a: string) => (a.includes(":") ? 6 : 4);
          if ((options as { all?: boolean }).all) {
            const all = addresses.map((a) => ({ address: a, family: family(a) }));
            (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, all);
          } else callback(null, addresses[0]!, family(addresses[0]!));
        })
        .catch((e: Error) => callback(e as NodeJS.ErrnoException, "", 0));
    };
  }
}
