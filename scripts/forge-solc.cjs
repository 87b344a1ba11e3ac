#!/usr/bin/env node
// A `solc` for Foundry's forge without a compiler download (TOOLCHAIN.md): foundry.toml points `solc` here.
// It answers `--version` as native solc does and compiles `--standard-json` (stdin → stdout) with the npm `solc`
// package (WASM, the same compiler Hardhat uses), resolving imports from the file system.
"use strict";
const { readFileSync, existsSync } = require("node:fs");
const { resolve, isAbsolute } = require("node:path");
const solc = require("solc");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write("forge-solc: only --version and --standard-json are supported\n");
  process.exit(2);
}

// forge passes --base-path/--include-path/--allow-paths; imports are looked up under those, then the cwd.
const roots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  if ((args[i] === "--base-path" || args[i] === "--include-path") && args[i + 1]) roots.push(resolve(args[++i]));
}

function findImports(path) {
  const candidates = isAbsolute(path) ? [path] : roots.map((r) => resolve(r, path));
  for (const file of candidates) {
    if (existsSync(file)) return { contents: readFileSync(file, "utf8") };
  }
  return { error: `file not found: ${path}` };
}

const input = readFileSync(0, "utf8");
process.stdout.write(solc.compile(input, { import: findImports }));
