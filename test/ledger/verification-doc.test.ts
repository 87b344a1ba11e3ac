import { readFileSync } from "node:fs";
import { expect } from "chai";
import { parseTrustAnchor } from "../../ledger-service/src/index.js";
import { toEpcis } from "../../ledger-service/src/events/epcis.js";
import { firstDifference, rerender } from "../../ledger-service/src/audit/rerender.js";

/** The worked examples of docs/verification.md, by their `<!-- vector: name -->` marker. */
function vectors(): Map<string, unknown> {
  const doc = readFileSync(new URL("../../docs/verification.md", import.meta.url), "utf8");
  const found = new Map<string, unknown>();
  for (const m of doc.matchAll(/<!-- vector: ([\w-]+) -->\s*```json\n([\s\S]*?)\n```/g))
    found.set(m[1]!, JSON.parse(m[2]!));
  return found;
}

describe("docs/verification.md: the worked examples are what the code does", () => {
  const v = vectors();

  it("the trust anchor example is a valid trust document", () => {
    const t = parseTrustAnchor(v.get("trust-anchor"), "docs/verification.md");
    expect(t.chainId).to.equal(31337);
    expect(() => parseTrustAnchor({ ...(v.get("trust-anchor") as object), extra: 1 }, "x")).to.throw(
      /Unrecognized key/,
    );
    expect(() => parseTrustAnchor({ ...(v.get("trust-anchor") as object), anchorRegistry: "0x12" }, "x")).to.throw(
      /anchorRegistry must be a 0x address/,
    );
  });

  it("the rendering example is the rendering of its ledger fields, and a re-rendering finds no difference", () => {
    const event = v.get("rendering") as ReturnType<typeof toEpcis>;
    expect(toEpcis(event["partledger:ledger"])).to.deep.equal(event);
    expect(firstDifference(event, rerender(event))).to.equal(null);
    const extra = structuredClone(event) as unknown as Record<string, unknown>;
    extra.bizLocation = { id: "urn:x" };
    expect(firstDifference(extra, rerender(extra as never))).to.deep.include({ path: "bizLocation" });
  });
});
