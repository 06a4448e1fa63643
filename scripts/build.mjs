// Builds the shipped artefacts (see docs/architecture.md, "What keeps it fast"):
//   dist/cli.cjs        the small entry bundle: argv, config, cache, outputs. Never contains the AWS SDK.
//   dist/<name>.cjs     one bundle per module in src/lazy/, loaded only when a command needs it.
//   dist/aws-runas.cjs  the command: a loader that starts cli.cjs with V8's code cache (scripts/loader.cjs)
//   dist/cli.cache      V8's code cache for cli.cjs after a cache-hit run.
// An import of src/lazy/<name> from the entry becomes require("./<name>.cjs") at run time.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, "dist");
const lazyDir = path.join(root, "src", "lazy");
const lazyNames = readdirSync(lazyDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -3));

const common = {
  bundle: true,
  // Less text for V8 to read and hash on every start.
  minify: true,
  keepNames: false,
  platform: "node",
  target: "node20",
  format: "cjs",
  // The SDK's dist-es tree-shakes better and loads faster than dist-cjs (design/stack.md §A.16).
  mainFields: ["module", "main"],
  // import() of a lazy bundle must become a plain require() of the sibling .cjs file.
  supported: { "dynamic-import": false },
  logLevel: "warning",
  legalComments: "none",
};

const lazyExternal = {
  name: "lazy-bundles",
  setup(b) {
    b.onResolve({ filter: /\/lazy\/[A-Za-z0-9-]+(\.js)?$/ }, (args) => {
      const name = path.basename(args.path).replace(/\.js$/, "");
      if (!lazyNames.includes(name)) return undefined;
      return { path: `./${name}.cjs`, external: true };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
// The version is compiled in, so `-V` needs no file read.
const version = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version;
common.define = { AWS_RUNAS_VERSION: JSON.stringify(version) };

await build({
  ...common,
  entryPoints: { cli: path.join(root, "src", "main.ts") },
  outdir: dist,
  outExtension: { ".js": ".cjs" },
  plugins: [lazyExternal],
});
await build({
  ...common,
  entryPoints: Object.fromEntries(lazyNames.map((n) => [n, path.join(lazyDir, `${n}.ts`)])),
  outdir: dist,
  outExtension: { ".js": ".cjs" },
  plugins: [lazyExternal],
});
copyFileSync(path.join(root, "scripts", "loader.cjs"), path.join(dist, "aws-runas.cjs"));
chmodSync(path.join(dist, "aws-runas.cjs"), 0o755);

// The code cache: run the hot path once (a cached role credential printed as credential_process JSON) in a
// throw-away HOME and let the loader save what V8 compiled. Same Node binary as at run time, so V8 accepts it.
const home = mkdtempSync(path.join(os.tmpdir(), "runas-build-"));
try {
  mkdirSync(path.join(home, ".aws"));
  writeFileSync(path.join(home, ".aws", "config"),
    "[default]\nregion = us-east-1\n\n[profile warm]\nrole_arn = arn:aws:iam::123456789012:role/Warm\nsource_profile = default\n");
  writeFileSync(path.join(home, ".aws", "credentials"), "[default]\naws_access_key_id = AKIAWARM\naws_secret_access_key = warm\n");
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  writeFileSync(path.join(home, ".aws", ".aws_assume_role_warm"),
    JSON.stringify({ AccessKeyId: "ASIAWARM", Expiration: expiration, SecretAccessKey: "s", SessionToken: "t" }));
  const r = spawnSync(process.execPath, [path.join(dist, "aws-runas.cjs"), "-O", "json", "warm"], {
    env: { PATH: process.env.PATH, HOME: home, AWS_RUNAS_BUILD_CODE_CACHE: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0 || !r.stdout.includes("ASIAWARM")) throw new Error(`warm-up run failed: ${r.stdout}${r.stderr}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
