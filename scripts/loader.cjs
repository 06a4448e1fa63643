#!/usr/bin/env node
"use strict";
// dist/aws-runas.cjs, the installed `aws-runas` command (copied here by scripts/build.mjs). It starts the bundle
// dist/cli.cjs with V8's code cache (dist/cli.cache). aws-runas runs as a credential_process on every AWS call, and
// compiling the bundle is a large share of its start-up; the cache, written by the build on this machine, lets V8
// skip that work. A missing, stale or rejected cache only means a normal compile.
const fs = require("node:fs");
const vm = require("node:vm");

const file = `${__dirname}/cli.cjs`;
const cacheFile = `${__dirname}/cli.cache`;
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
// The bundle shares this file's require: both live in dist/, where the lazily loaded bundles are.
script.runInThisContext()(module.exports, require, module, file, __dirname);
