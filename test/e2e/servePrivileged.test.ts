/**
 * The privileged EC2 mode for real (core.md §9.2): inside a network namespace this test creates, a server adds
 * 169.254.169.254 to the namespace's loopback, serves on 169.254.169.254:80 to a client in the namespace, drops to an
 * unprivileged user, and leaves no address behind — after SIGINT, SIGTERM, a crash of a request handler, even SIGKILL.
 * (a) runs the module itself (test/e2e/servePrivilegedServer.ts); (b) runs the built CLI, `aws-runas serve ec2
 * <profile>` (no -p), with moto in the same namespace, and awscli and the JS SDK find it with no configuration at all.
 *
 * Needs root and `ip netns` (Linux). Skipped with a message where a namespace cannot be created — except under
 * CI=true on Linux as root, where that is a failure.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { cleanEnv, ROOT, run, tempHome, type RunResult } from "../helpers/cliRun.js";

const NS = `runas-test-${process.pid}`;
/** The unprivileged user the servers drop to (nobody/nogroup on Debian), as `sudo` would name it. */
const NOBODY = 65534;
const IMDS = "169.254.169.254";

/** Creates the namespace (with loopback up) or says why it cannot; under CI on Linux as root, that is a failure. */
function createNamespace(): string | false {
  let reason: string | false = false;
  if (process.platform !== "linux") reason = "network namespaces exist on Linux only";
  else if (process.getuid?.() !== 0) reason = "creating a network namespace needs root";
  else {
    const add = spawnSync("ip", ["netns", "add", NS], { encoding: "utf8" });
    if (add.error !== undefined) reason = `the ip command is not available (${add.error.message})`;
    else if (add.status !== 0) reason = `cannot create a network namespace: ${add.stderr.trim()}`;
    else {
      const up = spawnSync("ip", ["netns", "exec", NS, "ip", "link", "set", "lo", "up"], { encoding: "utf8" });
      if (up.status !== 0) reason = `cannot bring lo up in the namespace: ${up.stderr.trim()}`;
    }
  }
  if (reason !== false && process.env.CI === "true" && process.platform === "linux" && process.getuid?.() === 0) {
    throw new Error(`${reason} — under CI as root the privileged-mode test must run`);
  }
  return reason === false ? false : `${reason}: privileged-mode test skipped`;
}

const skip = createNamespace();

/** Runs a command inside the namespace to completion. */
function inNamespace(cmd: string, args: string[], env: Record<string, string> = cleanEnv(os.tmpdir()), input = ""): Promise<RunResult> {
  return run("ip", ["netns", "exec", NS, cmd, ...args], env, input);
}

/** The IPv4 addresses on the namespace's loopback, as `ip -4 addr show dev lo` lists them. */
function loopbackAddresses(): string {
  const r = spawnSync("ip", ["netns", "exec", NS, "ip", "-4", "-o", "addr", "show", "dev", "lo"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Waits (bounded) for the address to go: after SIGKILL it is the helper, not the server, that removes it. */
async function addressGone(): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (!loopbackAddresses().includes(IMDS)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** The listening TCP sockets of the namespace as "hexaddr:hexport" (/proc/net/tcp{,6} are per namespace). */
async function listeners(): Promise<string[]> {
  const out: string[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const r = await inNamespace("cat", [table]);
    for (const line of r.stdout.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === "0A") out.push(cols[1] ?? "");
    }
  }
  return out.sort();
}
/** 169.254.169.254:80 as /proc/net/tcp writes it (the address's bytes in host order, the port in hex). */
const IMDS_LISTENER = "FEA9FEA9:0050";

/** A long-running process in the namespace, in its own process group (so a signal can reach it as a terminal would). */
interface Running {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The signal to its whole process group, as Ctrl-C at a terminal sends it. */
  signal(s: NodeJS.Signals): void;
}
const running: Running[] = [];

function startInNamespace(cmd: string, args: string[], env: Record<string, string>): Running {
  const proc = spawn("ip", ["netns", "exec", NS, cmd, ...args], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("close", (code, signal) => resolve({ code, signal })),
  );
  const r: Running = {
    proc,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    signal: (s) => process.kill(-(proc.pid ?? 0), s),
  };
  running.push(r);
  return r;
}

/** Resolves once `ready(stdout, stderr)` holds; rejects if the process exits first. */
async function until(r: Running, ready: (stdout: string, stderr: string) => boolean, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (ready(r.stdout(), r.stderr())) resolve();
    };
    r.proc.stdout?.on("data", check);
    r.proc.stderr?.on("data", check);
    void r.exited.then(({ code, signal }) =>
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${r.stdout()}${r.stderr()}`)),
    );
    check();
  });
}

after(async () => {
  for (const r of running) {
    if (r.proc.exitCode === null && r.proc.signalCode === null) {
      try {
        r.signal("SIGKILL");
      } catch {
        // already gone
      }
      await r.exited;
    }
  }
  if (skip === false) {
    // The removal helpers exit once their servers are gone; give them their moment, then drop the namespace.
    await addressGone();
    spawnSync("ip", ["netns", "del", NS]);
  }
});

describe("privileged mode: the module in a network namespace", { skip }, () => {
  let work: string;
  let serverJs: string;

  before(async () => {
    // Bundled so the server needs nothing from the repository once it has dropped to `nobody`.
    work = mkdtempSync(path.join(os.tmpdir(), "runas-priv-"));
    chmodSync(work, 0o755);
    serverJs = path.join(work, "server.mjs");
    await build({
      entryPoints: [path.join(ROOT, "test", "e2e", "servePrivilegedServer.ts")],
      outfile: serverJs,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "warning",
    });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const sudoEnv = (extra: Record<string, string> = {}): Record<string, string> =>
    cleanEnv(os.tmpdir(), { SUDO_UID: String(NOBODY), SUDO_GID: String(NOBODY), ...extra });

  async function startServer(env = sudoEnv()): Promise<Running> {
    const server = startInNamespace(process.execPath, [serverJs], env);
    await until(server, (out) => out.includes("READY"), "the server");
    return server;
  }

  const get = (route: string): Promise<RunResult> =>
    inNamespace(process.execPath, [
      "-e",
      `fetch("http://${IMDS}${route}").then(async (r) => process.stdout.write(r.status + " " + (await r.text())), (e) => { process.stdout.write("failed: " + (e.cause?.code ?? e.message)); })`,
    ]);

  it("serves on 169.254.169.254:80 to a client in the namespace, as SUDO_UID/SUDO_GID, listening nowhere else", async () => {
    assert.ok(!loopbackAddresses().includes(IMDS), "no address before the server starts");
    const server = await startServer();
    assert.match(loopbackAddresses(), /inet 169\.254\.169\.254\/22 /);
    const answer = await get("/whoami");
    assert.equal(answer.stdout, `200 ${JSON.stringify({ uid: NOBODY, gid: NOBODY, groups: [NOBODY] })}`, answer.stderr);
    assert.deepEqual(await listeners(), [IMDS_LISTENER]);
    server.signal("SIGINT");
    assert.deepEqual(await server.exited, { code: 0, signal: null });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal}: the address is gone when the server has exited, with status 0`, async () => {
      const server = await startServer();
      assert.ok(loopbackAddresses().includes(IMDS));
      server.signal(signal);
      assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
      assert.ok(!loopbackAddresses().includes(IMDS), loopbackAddresses());
      assert.match(server.stderr(), new RegExp(`INFO ${signal} received: shutting down`));
    });
  }

  it("a request handler that throws: the address is removed and the server exits 1", async () => {
    const server = await startServer();
    const answer = await get("/crash");
    // The connection is ended while the address exists: the client hears it at once (no TCP timeout).
    assert.match(answer.stdout, /^failed: (UND_ERR_SOCKET|ECONNRESET)$/, "the crashed server answers nothing");
    assert.deepEqual(await server.exited, { code: 1, signal: null }, server.stderr());
    assert.ok(!loopbackAddresses().includes(IMDS), loopbackAddresses());
    assert.match(server.stderr(), /ERROR the server failed: the request handler failed/);
  });

  it("SIGKILL, which no handler sees: the root helper started before the drop still removes the address", async () => {
    const server = await startServer();
    server.signal("SIGKILL");
    assert.deepEqual(await server.exited, { code: null, signal: "SIGKILL" });
    assert.ok(await addressGone(), loopbackAddresses());
  });

  it("an address that was already there is served and left in place", async () => {
    const add = await inNamespace("ip", ["address", "add", `${IMDS}/22`, "dev", "lo"]);
    assert.equal(add.code, 0, add.stderr);
    try {
      const server = await startServer();
      assert.match(server.stderr(), /INFO 169\.254\.169\.254 is already on lo: serving on it, and leaving it in place on exit/);
      assert.match((await get("/whoami")).stdout, /^200 /);
      server.signal("SIGTERM");
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      assert.ok(loopbackAddresses().includes(IMDS), "not ours, so not removed");
    } finally {
      await inNamespace("ip", ["address", "del", `${IMDS}/22`, "dev", "lo"]);
    }
  });

  it("not root: one clear line, and nothing added", async () => {
    const server = startInNamespace(process.execPath, [serverJs], sudoEnv({ RUNAS_TEST_START_AS: String(NOBODY) }));
    assert.deepEqual(await server.exited, { code: 1, signal: null });
    assert.match(
      server.stderr(),
      /ERROR serving on 169\.254\.169\.254:80 needs root: run with sudo \(or serve on a local port with -p <port>\)\n$/,
    );
    assert.ok(!loopbackAddresses().includes(IMDS));
  });
});

/** Whether the built CLI has the privileged mode yet: a bundle that loads dist/imdsAddressDeps.cjs. */
function cliSkip(): string | false {
  if (skip !== false) return skip;
  const dist = path.join(ROOT, "dist");
  let found: boolean;
  try {
    found = readdirSync(dist).some(
      (f) => f.endsWith(".cjs") && f !== "imdsAddressDeps.cjs" && readFileSync(path.join(dist, f), "utf8").includes("imdsAddressDeps"),
    );
  } catch {
    found = false;
  }
  if (found) return false;
  if (process.env.CI === "true") throw new Error("dist/ has no privileged serve ec2 mode: run npm run build");
  return "the built CLI has no privileged `serve ec2` mode yet (npm run build): skipped";
}

describe("privileged mode: aws-runas serve ec2 <profile> in a network namespace", { skip: cliSkip() }, () => {
  const MOTO_PORT = 5000;
  const MOTO = `http://127.0.0.1:${MOTO_PORT}`;
  let dist: string;
  let home: string;
  let clientHome: string;
  let moto: Running;

  before(async () => {
    // A copy of dist/ that `nobody` can read wherever the repository lives: the server loads bundles after the drop.
    dist = mkdtempSync(path.join(os.tmpdir(), "runas-priv-dist-"));
    cpSync(path.join(ROOT, "dist"), dist, { recursive: true });
    chmodSync(dist, 0o755);
    // The user's own files, as after `sudo`: owned by the user the server drops to.
    ({ home } = tempHome(
      "[default]\nregion = us-east-1\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n",
      "[default]\naws_access_key_id = AKIAIOSFODNN7PRIVKEY\naws_secret_access_key = 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\n",
    ));
    for (const p of [home, path.join(home, ".aws"), path.join(home, ".aws", "config"), path.join(home, ".aws", "credentials")]) {
      chownSync(p, NOBODY, NOBODY);
    }
    clientHome = mkdtempSync(path.join(os.tmpdir(), "runas-priv-client-"));
    // moto inside the namespace, where the served profile's AssumeRole has to reach it.
    moto = startInNamespace("moto_server", ["-H", "127.0.0.1", "-p", String(MOTO_PORT)], {
      ...cleanEnv(clientHome),
      MOTO_IAM_LOAD_MANAGED_POLICIES: "false",
    });
    await until(moto, (out, err) => `${out}${err}`.includes("Running on"), "moto_server");
  });
  after(async () => {
    moto?.signal("SIGTERM");
    await moto?.exited;
    for (const d of [dist, home, clientHome]) rmSync(d, { recursive: true, force: true });
  });

  async function startServe(): Promise<Running> {
    const env = cleanEnv(home, { AWS_ENDPOINT_URL: MOTO, SUDO_UID: String(NOBODY), SUDO_GID: String(NOBODY) });
    const server = startInNamespace(process.execPath, [path.join(dist, "aws-runas.cjs"), "serve", "ec2", "admin"], env);
    await until(server, (_out, err) => err.includes("Using initial profile 'admin'"), "aws-runas serve ec2");
    return server;
  }

  it("under a sudo that set HOME to root's home, serves the profiles of the user who ran sudo", async () => {
    // nobody's home in the user database; the server must look there, not in /root.
    const nobodyHome = spawnSync("getent", ["passwd", String(NOBODY)], { encoding: "utf8" }).stdout.split(":")[5] ?? "";
    const env = { ...cleanEnv("/root"), SUDO_UID: String(NOBODY), SUDO_GID: String(NOBODY) };
    const server = startInNamespace(process.execPath, [path.join(dist, "aws-runas.cjs"), "-v", "serve", "ec2"], env);
    try {
      await until(server, (_out, err) => err.includes("select a profile to begin"), "aws-runas serve ec2");
      assert.ok(server.stderr().includes(`serving the profiles of ${nobodyHome}`), server.stderr());
    } finally {
      server.signal("SIGINT");
    }
    assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
    assert.ok(!loopbackAddresses().includes(IMDS), loopbackAddresses());
  });

  /** Clients with no configuration at all: no credentials, no endpoint variables; only the region and moto's URL. */
  const clientEnv = (): Record<string, string> => cleanEnv(clientHome, { AWS_DEFAULT_REGION: "us-east-1", AWS_REGION: "us-east-1" });

  // The JS SDK's IMDS provider against its default endpoint (IMDSv2 first), then STS on moto with what it got.
  const SDK_CLIENT = `
    import { fromInstanceMetadata } from "@aws-sdk/credential-providers";
    import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
    const credentials = await fromInstanceMetadata({ timeout: 5000, maxRetries: 2 })();
    const sts = new STSClient({ region: "us-east-1", endpoint: ${JSON.stringify(MOTO)}, credentials });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    process.stdout.write(JSON.stringify({ arn: id.Arn, key: credentials.accessKeyId, expires: credentials.expiration?.toISOString() }));`;

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`IMDSv2 clients in the namespace get the role's credentials; ${signal} leaves no address`, async () => {
      const server = await startServe();
      try {
        assert.match(loopbackAddresses(), /inet 169\.254\.169\.254\/22 /);
        assert.deepEqual(await listeners(), ["0100007F:1388", IMDS_LISTENER].sort(), "moto on 127.0.0.1:5000 and us");
        // `ip netns exec` execs the command: this pid is the server, now running as the sudo user.
        const status = readFileSync(`/proc/${server.proc.pid}/status`, "utf8");
        assert.match(status, new RegExp(`^Uid:\\t${NOBODY}\\t${NOBODY}\\t${NOBODY}\\t${NOBODY}$`, "m"));
        assert.match(status, new RegExp(`^Gid:\\t${NOBODY}\\t${NOBODY}\\t${NOBODY}\\t${NOBODY}$`, "m"));

        const sdk = await inNamespace(process.execPath, ["--input-type=module", "-e", SDK_CLIENT], clientEnv());
        assert.equal(sdk.code, 0, `${sdk.stdout}${sdk.stderr}\n${server.stderr()}`);
        const got = JSON.parse(sdk.stdout) as { arn: string; key: string; expires: string };
        assert.match(got.arn, /^arn:aws:sts::123456789012:assumed-role\/Admin\//);
        assert.match(got.key, /^ASIA/);

        const cli = await inNamespace("aws", ["sts", "get-caller-identity", "--endpoint-url", MOTO, "--output", "json"], clientEnv());
        assert.equal(cli.code, 0, `${cli.stdout}${cli.stderr}`);
        assert.match((JSON.parse(cli.stdout) as { Arn: string }).Arn, /assumed-role\/Admin\//);

        // The credential cache the server wrote belongs to the user, not to root.
        const files = readdirSync(path.join(home, ".aws"));
        assert.ok(files.includes(".aws_assume_role_admin"), files.join(", "));
        for (const f of files) assert.equal(statSync(path.join(home, ".aws", f)).uid, NOBODY, f);
        // Every request was logged, and no secret with it.
        assert.match(server.stderr(), /PUT \/latest\/api\/token HTTP\/1\.1 200 /);
        assert.ok(!server.stderr().includes("PRIVSECRET"), "the source secret is not logged");
      } finally {
        server.signal(signal);
      }
      assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
      assert.ok(!loopbackAddresses().includes(IMDS), loopbackAddresses());
    });
  }
});
