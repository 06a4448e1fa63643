// Throughput and memory of `serve ecs`: 64 concurrent keep-alive connections for 10 s against the ECS credential
// route, and the same load against a bare node:http server returning the same JSON, measured in the same run
// (alternating, best of two each, so background load hits both alike). The load comes from worker threads so the
// client is not the bottleneck of either. Prints the throughputs, their ratio, the error count and the server's
// resident memory before and after; exits 1 when the ratio is under 0.7, any request failed or memory grew by more
// than 10 MB. Usage: node bench/serve.mjs [seconds] [connections]
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, "dist", "aws-runas.cjs");
const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 64);
const workers = Math.max(1, Math.min(4, os.availableParallelism() - 1));

// A ~/.aws with a role profile whose credentials are cached: serving them needs no AWS call.
const home = mkdtempSync(path.join(os.tmpdir(), "runas-bench-serve-"));
const aws = path.join(home, ".aws");
mkdirSync(aws);
writeFileSync(
  path.join(aws, "config"),
  "[default]\nregion = us-east-1\n\n[profile bench]\nrole_arn = arn:aws:iam::123456789012:role/Bench\nsource_profile = default\n",
);
writeFileSync(path.join(aws, "credentials"), "[default]\naws_access_key_id = AKIAEXAMPLEBENCHKEY1\naws_secret_access_key = benchsecret\n");
const expiration = new Date(Date.now() + 3 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
writeFileSync(
  path.join(aws, ".aws_assume_role_bench"),
  `${JSON.stringify({ AccessKeyId: "ASIABENCH", Expiration: expiration, SecretAccessKey: "s", SessionToken: "t" })}\n`,
  { mode: 0o600 },
);
const env = { PATH: process.env.PATH, HOME: home };

const children = [];
const cleanup = () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGINT");
  rmSync(home, { recursive: true, force: true });
};
process.on("exit", cleanup);

/** Starts aws-runas serve ecs and reads the URL and token from its env lines. */
async function startServe() {
  const child = spawn(process.execPath, [cli, "serve", "ecs", "-p", "0", "-H", "bench"], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const found = await new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const url = /AWS_CONTAINER_CREDENTIALS_FULL_URI=['"]?([^'"\s]+)/.exec(out)?.[1];
      const token = /AWS_CONTAINER_AUTHORIZATION_TOKEN=['"]?([^'"\s]+)/.exec(out)?.[1];
      if (url !== undefined && token !== undefined) resolve({ url, token });
    });
    child.on("exit", (code) => reject(new Error(`serve ecs exited (${code}) before printing its address:\n${out}${err}`)));
  });
  // Request logging is part of the server's work; it goes to stderr, drained here.
  child.stderr.removeAllListeners("data");
  child.stderr.resume();
  return { child, ...found };
}

/** Starts a bare node:http server in its own process answering `body` as JSON, as the baseline. */
async function startBare(body) {
  const script =
    "const http=require('node:http');const b=process.argv[1];" +
    "const s=http.createServer((q,r)=>{r.writeHead(200,{'content-type':'application/json'});r.end(b)});" +
    "s.keepAliveTimeout=60000;s.listen(0,'127.0.0.1',()=>process.stdout.write(String(s.address().port)+'\\n'));";
  const child = spawn(process.execPath, ["-e", script, body], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const port = await new Promise((resolve) => child.stdout.once("data", (d) => resolve(Number(String(d).trim()))));
  return { child, url: `http://127.0.0.1:${port}/credentials` };
}

/** One GET, for the warm-up and the body the baseline copies. */
function get(url, headers) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    }).on("error", reject);
  });
}

const WORKER = `
const http = require("node:http");
const { workerData, parentPort } = require("node:worker_threads");
const { url, headers, connections, ms } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
let ok = 0, errors = 0;
const end = Date.now() + ms;
function loop() {
  if (Date.now() >= end) return Promise.resolve();
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on("end", () => { if (res.statusCode === 200) ok++; else errors++; resolve(); });
    });
    req.on("error", () => { errors++; resolve(); });
  }).then(loop);
}
Promise.all(Array.from({ length: connections }, loop)).then(() => { agent.destroy(); parentPort.postMessage({ ok, errors }); });
`;

/** Requests per second over `seconds` with `connections` split across the worker threads. */
async function load(url, headers) {
  const per = Math.ceil(connections / workers);
  const results = await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const n = Math.min(per, connections - i * per);
      return new Promise((resolve, reject) => {
        const w = new Worker(WORKER, { eval: true, workerData: { url, headers, connections: n, ms: seconds * 1000 } });
        w.once("message", resolve);
        w.once("error", reject);
      });
    }),
  );
  const ok = results.reduce((s, r) => s + r.ok, 0);
  const errors = results.reduce((s, r) => s + r.errors, 0);
  return { rps: ok / seconds, errors };
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const serve = await startServe();
const auth = { authorization: serve.token };
const first = await get(serve.url, auth);
if (first.status !== 200 || !first.text.includes('"AccessKeyId":"ASIABENCH"')) {
  console.error(`serve ecs did not answer with the cached credentials: ${first.status} ${first.text}`);
  process.exit(1);
}
const bare = await startBare(first.text);

// Warm both up (JIT, sockets), then settle before the memory baseline.
await load(serve.url, auth);
await load(bare.url, {});
await sleep(1000);
const memBefore = rssMb(serve.child.pid);

const runs = { serve: [], bare: [] };
let errors = 0;
for (let i = 0; i < 2; i++) {
  const b = await load(bare.url, {});
  const s = await load(serve.url, auth);
  runs.bare.push(b.rps);
  runs.serve.push(s.rps);
  errors += s.errors + b.errors;
}
await sleep(2000);
const memAfter = rssMb(serve.child.pid);

const best = (xs) => Math.max(...xs);
const ratio = best(runs.serve) / best(runs.bare);
const fmt = (n) => n.toFixed(0).padStart(7);
console.log(`${connections} connections, ${seconds} s per run, ${workers} client threads, best of ${runs.serve.length}`);
console.log(`bare node:http       ${fmt(best(runs.bare))} req/s`);
console.log(`aws-runas serve ecs  ${fmt(best(runs.serve))} req/s`);
console.log(`ratio serve/bare: ${ratio.toFixed(2)} (target >= 0.70); errors: ${errors}`);
console.log(`serve memory (RSS): ${memBefore.toFixed(1)} MB before, ${memAfter.toFixed(1)} MB after (target: within 10 MB)`);
const pass = ratio >= 0.7 && errors === 0 && memAfter - memBefore <= 10;
process.exitCode = pass ? 0 : 1;
cleanup();
process.exit();
