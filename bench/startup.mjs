// Startup benchmark of the credential_process hot path: `aws-runas -O json <profile>` on a cache hit, against a
// bare `node -e 0` measured in the same run. Commands run round-robin (one of each per round) so background load
// hits both alike; the medians and their ratio are printed. Usage: node bench/startup.mjs [rounds]
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, "dist", "aws-runas.cjs");
const rounds = Number(process.argv[2] ?? 200);
const warmup = 3;

// A realistic ~/.aws: 25 profiles, keys, and a fresh cached role credential for the profile we ask for.
const home = mkdtempSync(path.join(os.tmpdir(), "runas-bench-"));
const aws = path.join(home, ".aws");
mkdirSync(aws);
let config = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/bench\n\n";
for (let i = 0; i < 25; i++) {
  config += `[profile role-${i}]\nrole_arn = arn:aws:iam::123456789012:role/Role${i}\nsource_profile = default\nregion = eu-west-1\nexternal_id = ext-${i}\n\n`;
}
config += "[profile web]\nweb_identity_auth_url = https://sso.example.com\nweb_identity_client_id = bench\n" +
  "web_identity_redirect_uri = http://127.0.0.1/callback\nweb_identity_provider = oidc\n" +
  "role_arn = arn:aws:iam::123456789012:role/Web\n\n";
writeFileSync(path.join(aws, "config"), config);
writeFileSync(path.join(aws, "credentials"), "[default]\naws_access_key_id = AKIAEXAMPLEBENCHKEY1\naws_secret_access_key = benchsecret\n");
const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
writeFileSync(
  path.join(aws, ".aws_assume_role_role-7"),
  `${JSON.stringify({ AccessKeyId: "ASIABENCH", Expiration: expiration, SecretAccessKey: "s", SessionToken: "t" })}\n`,
  { mode: 0o600 },
);
writeFileSync(
  path.join(aws, ".aws_web_role_web"),
  `${JSON.stringify({ AccessKeyId: "ASIABENCHWEB", Expiration: expiration, SecretAccessKey: "s", SessionToken: "t" })}\n`,
  { mode: 0o600 },
);
const env = { PATH: process.env.PATH, HOME: home };

const variants = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "aws-runas -O json role-7 (cache hit)", args: [cli, "-O", "json", "role-7"] },
  { name: "aws-runas -O json web (OIDC, cache hit)", args: [cli, "-O", "json", "web"] },
];

for (const [i, key] of [[1, "ASIABENCH"], [2, "ASIABENCHWEB"]]) {
  const check = spawnSync(process.execPath, variants[i].args, { env, encoding: "utf8" });
  if (check.status !== 0 || !check.stdout.includes(`"AccessKeyId":"${key}"`)) {
    console.error(`the cache-hit run did not print the cached credentials:\n${check.stdout}${check.stderr}`);
    process.exit(1);
  }
}

const times = variants.map(() => []);
for (let r = 0; r < warmup + rounds; r++) {
  variants.forEach((v, i) => {
    const start = process.hrtime.bigint();
    const res = spawnSync(process.execPath, v.args, { env, stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 0) throw new Error(`${v.name} failed`);
    if (r >= warmup) times[i].push(ms);
  });
}
rmSync(home, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const base = median(times[0]);
console.log(`startup, ${rounds} interleaved rounds (median / min ms)`);
variants.forEach((v, i) => {
  const med = median(times[i]);
  console.log(`  ${v.name.padEnd(40)} ${med.toFixed(1).padStart(7)} / ${Math.min(...times[i]).toFixed(1).padStart(7)}   ${(med / base).toFixed(2)}x`);
});
console.log(`ratio (cache hit / node -e 0): ${(median(times[1]) / base).toFixed(2)}`);
console.log(`ratio (OIDC cache hit / node -e 0): ${(median(times[2]) / base).toFixed(2)}`);
