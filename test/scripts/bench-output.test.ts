import { readFileSync } from "node:fs";
import { expect } from "chai";
import { BENCH_FIGURES, checkBenchOutput } from "../../scripts/lib/bench-output.js";

// What `npm run check:benches` (run by .ci/run) accepts as a working benchmark run. No timings: only the shape.
describe("benchmark output check @smoke", () => {
  const figures = Object.fromEntries(BENCH_FIGURES["bench:orders"]!.map((k, i) => [k, i + 0.5]));
  const output = (f: object) => `bench:orders — …\n▶ orders …\n${JSON.stringify(f)}\n`;

  it("accepts exit 0 with every figure of every phase as a finite number on the last line", () => {
    expect(checkBenchOutput("bench:orders", 0, output(figures)).problems).to.deep.equal([]);
  });

  it("fails a run whose phase left its figure out (a skipped or broken phase)", () => {
    const { openLoopP99Ms: _, ...rest } = figures;
    expect(checkBenchOutput("bench:orders", 0, output(rest)).problems).to.deep.equal([
      "bench:orders: figure openLoopP99Ms is missing (its phase did not run)",
    ]);
  });

  it("fails a figure that is null (NaN in JSON) or not a number", () => {
    const problems = checkBenchOutput(
      "bench:orders",
      0,
      output({ ...figures, p99Ms: null, ordersPerSec: "54" }),
    ).problems;
    expect(problems).to.have.length(2);
    expect(problems.join("\n")).to.contain("p99Ms is null").and.contain('ordersPerSec is "54"');
  });

  it("fails a non-zero exit even when the figures are all there", () => {
    expect(checkBenchOutput("bench:orders", 1, output(figures)).problems).to.deep.equal(["bench:orders exited with 1"]);
  });

  it("fails when the last line is not a JSON object", () => {
    for (const last of ["bench failed: boom", "[1,2]", "42", "null"]) {
      const problems = checkBenchOutput("bench:orders", 0, `{"ordersPerSec":1}\n${last}`).problems;
      expect(problems[0], last).to.match(/last line of its output is not a JSON object/);
    }
  });

  it("knows the figures of every bench:* script in package.json", () => {
    const scripts = Object.keys(JSON.parse(readFileSync("package.json", "utf8")).scripts).filter((s) =>
      s.startsWith("bench:"),
    );
    expect(scripts.length).to.be.greaterThan(0);
    expect(Object.keys(BENCH_FIGURES).sort()).to.deep.equal(scripts.sort());
    expect(checkBenchOutput("bench:new", 0, "{}").problems[0]).to.contain("has no list of figures");
  });
});
