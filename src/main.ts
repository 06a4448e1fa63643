/**
 * The composition root: builds the real clock, terminal, logger, lock and lazily loaded AWS adapters, runs the CLI,
 * and exits with its status. The only module that touches process.env and process.exit.
 */
import { writeSync } from "node:fs";
import { runCli } from "./cli/runCli.js";
import type { AppDeps } from "./cli/appDeps.js";
import { systemClock } from "./platform/systemClock.js";
import { createStderrLogger } from "./platform/stderrLogger.js";
import { createTerminalPrompter } from "./platform/terminalPrompter.js";
import { createFileLocker } from "./cache/fileLocker.js";
import { openBrowser } from "./platform/openBrowser.js";

declare const AWS_RUNAS_VERSION: string | undefined;
const version = typeof AWS_RUNAS_VERSION === "string" ? AWS_RUNAS_VERSION : "0.0.0-dev";

/**
 * Writes straight to the file descriptor: building process.stdout loads the whole stream machinery, a few
 * milliseconds on every credential_process call. A non-blocking pipe that is full (EAGAIN) falls back to the stream.
 */
let streamUsed = false;
function directWriter(fd: number, stream: () => NodeJS.WriteStream): (t: string) => void {
  let fallback = false;
  return (text) => {
    if (!fallback) {
      const buf = Buffer.from(text, "utf8");
      let off = 0;
      try {
        while (off < buf.length) off += writeSync(fd, buf, off);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== "EAGAIN") throw e;
        fallback = true;
        streamUsed = true;
        text = buf.subarray(off).toString("utf8");
      }
    }
    stream().write(text);
  };
}
const writeOut = directWriter(1, () => process.stdout);
const writeErr = directWriter(2, () => process.stderr);

const deps: AppDeps = {
  out: { stdout: writeOut, stderr: writeErr },
  clock: systemClock,
  platform: process.platform,
  // HOME (USERPROFILE on Windows) as the AWS SDKs read it; node:os is loaded only when neither is set.
  homeDir: process.env.HOME || process.env.USERPROFILE || process.getBuiltinModule("node:os").homedir(),
  version,
  logger: (verbosity) => createStderrLogger(verbosity, writeErr),
  prompter: () => createTerminalPrompter(() => process.stdin, writeErr),
  locker: createFileLocker(),
  osUser: () => {
    try {
      return process.getBuiltinModule("node:os").userInfo().username;
    } catch {
      return undefined;
    }
  },
  openBrowser: (url) => openBrowser(url, process.env, process.platform),
  async sts(target, logger) {
    const { createStsApi } = await import("./lazy/sts.js");
    return createStsApi(target, logger);
  },
  async sdkCredentials(o) {
    // The SDK warns about Node 20 on first use; the warning is noise on stderr for a credential_process.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const { resolveSdkCredentials } = await import("./lazy/sdkCredentials.js");
    return resolveSdkCredentials(o);
  },
};

runCli(process.argv.slice(2), process.env, deps).then(
  (code) => {
    // Exit explicitly: lingering sockets (SDK keep-alive, a closed endpoint) must not hold the process open. Output
    // went out synchronously, except after an EAGAIN fallback, whose stream is flushed first.
    if (!streamUsed) process.exit(code);
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
  },
  (e: unknown) => {
    writeErr(`aws-runas: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
