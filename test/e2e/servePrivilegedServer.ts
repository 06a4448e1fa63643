/**
 * The smallest privileged server built from src/serve/imdsAddress.ts with its real deps, exactly in the order
 * `serve ec2` uses them: add 169.254.169.254 to loopback, listen on it, drop privileges, release on exit. Run by
 * servePrivileged.test.ts (bundled, as root, inside a network namespace). Routes: GET /whoami → the process's ids;
 * GET /crash → the handler throws (nothing catches it).
 * RUNAS_TEST_START_AS=<id> makes it start as that uid/gid instead of root, to show the "needs root" failure.
 */
import http from "node:http";
import { addImdsAddress, dropPrivileges, releaseOnExit, IMDS_IP, type ImdsAddress } from "../../src/serve/imdsAddress.js";
import { dropPrivilegesDeps, imdsAddressDeps, processExitEvents } from "../../src/lazy/imdsAddressDeps.js";
import { createStderrLogger } from "../../src/platform/stderrLogger.js";

const logger = createStderrLogger(1, (t) => process.stderr.write(t));
const startAs = process.env.RUNAS_TEST_START_AS;
if (startAs !== undefined) {
  process.setgid?.(Number(startAs));
  process.setuid?.(Number(startAs));
}

let address: ImdsAddress | undefined;
try {
  address = await addImdsAddress(imdsAddressDeps(logger));
  const server = http.createServer((req, res) => {
    if (req.url === "/crash") throw new Error("the request handler failed");
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ uid: process.getuid?.(), gid: process.getgid?.(), groups: process.getgroups?.() }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(80, IMDS_IP, resolve);
  });
  dropPrivileges(dropPrivilegesDeps(process.env, logger));
  const remove = address.remove;
  releaseOnExit({
    release: remove,
    // As the command does: stop listening and end every open connection while the address still exists.
    shutdown: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    logger,
    events: processExitEvents(),
  });
  process.stdout.write("READY\n");
} catch (e) {
  logger.error(e instanceof Error ? e.message : String(e));
  await address?.remove().catch(() => undefined);
  process.exit(1);
}
