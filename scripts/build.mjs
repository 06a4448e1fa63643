// Builds the shipped artefacts (see docs/architecture.md, "What keeps it fast"):
//   dist/aws-runas.cjs  the small entry bundle: argv, config, cache, outputs. Never contains the AWS SDK.
//   dist/<name>.cjs     one bundle per module in src/lazy/, loaded only when a command needs it.
// An import of src/lazy/<name> from the entry becomes require("./<name>.cjs") at run time.
import { build } from "esbuild";
import { chmodSync, readdirSync, readFileSync, rmSync } from "node:fs";
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
  entryPoints: { "aws-runas": path.join(root, "src", "main.ts") },
  outdir: dist,
  outExtension: { ".js": ".cjs" },
  banner: { js: "#!/usr/bin/env node" },
  plugins: [lazyExternal],
});
await build({
  ...common,
  entryPoints: Object.fromEntries(lazyNames.map((n) => [n, path.join(lazyDir, `${n}.ts`)])),
  outdir: dist,
  outExtension: { ".js": ".cjs" },
  plugins: [lazyExternal],
});
chmodSync(path.join(dist, "aws-runas.cjs"), 0o755);
