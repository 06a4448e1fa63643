#!/usr/bin/env node
"use strict";
// Starts aws-runas (dist/cli.cjs) with V8's code cache (dist/cli.cache). aws-runas runs as a credential_process on
// every AWS call, and compiling the bundle is a large share of its start-up; the cache, written by the build on this
// machine, lets V8 skip that work. A missing, stale or rejected cache only means a normal compile.
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { createRequire } = require("node:module");

const dist = path.join(__dirname, "..", "dist");
const file = path.join(dist, "cli.cjs");
const cacheFile = path.join(dist, "cli.cache");
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, "utf8")}\n})`,
  { filename: file, cachedData },
);
if (process.env.AWS_RUNAS_BUILD_CODE_CACHE === "1") {
  // Used by scripts/build.mjs only: after a representative run, save what V8 compiled.
  process.on("exit", () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(file), mod, file, dist);
