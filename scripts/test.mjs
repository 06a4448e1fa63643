// Runs every *.test.ts under src/ and test/ with node:test (through tsx, since Node 20 cannot strip types).
// Node 20's --test takes no glob patterns, so the files are listed here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
function collect(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (entry.endsWith(".test.ts")) out.push(path.relative(root, full));
  }
  return out;
}
const filter = process.argv.slice(2);
let files = [...collect(path.join(root, "src")), ...collect(path.join(root, "test"))].sort();
if (filter.length > 0) files = files.filter((f) => filter.some((p) => f.includes(p)));
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=tap", ...files],
  { cwd: root, stdio: "inherit", env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } },
);
process.exit(result.status ?? 1);
