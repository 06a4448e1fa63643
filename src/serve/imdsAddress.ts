/**
 * The privileged EC2 mode (core.md §9.2): `serve ec2` without `-p` answers on 169.254.169.254:80, the address every
 * SDK calls by default, bound on that address only (decisions.md "Servers"). The command wires it in this order:
 *
 *   const address = await addImdsAddress(imdsAddressDeps(logger));         // as root: add 169.254.169.254/22 to loopback
 *   await listen(80, "169.254.169.254");                                    // as root: port 80
 *   dropPrivileges(dropPrivilegesDeps(env, logger));                        // now the invoking user
 *   releaseOnExit({ release: address.remove, shutdown, logger, events: processExitEvents() });
 *
 * (the real deps come from src/lazy/imdsAddressDeps.ts). The deps shapes:
 *
 * - addImdsAddress(d: ImdsAddressDeps):
 *     { platform: NodeJS.Platform;
 *       run(cmd, args): Promise<void>;            rejects with the command's output as message, code "ENOENT" if missing
 *       networkInterfaces(): NodeJS.Dict<os.NetworkInterfaceInfo[]>;
 *       logger: Logger;
 *       startRemover?(cmd, args): Promise<Remover> }   non-Windows; see below
 * - dropPrivileges(d: DropPrivilegesDeps): see imdsAddressPrivileges.ts
 *     { env; homeDir; stat(path): {uid, gid}; getuid(); setgid(id); setuid(id); setgroups?(ids); platform; logger }
 * - releaseOnExit(o: ReleaseOnExitOptions): see imdsAddressExit.ts
 *     { release(): Promise<void>; shutdown?(): Promise<void>; logger; events: { on(event, fn); exit(code) } }
 *
 * Why a remover: once privileges are dropped the process can no longer change the interface, yet the address must go
 * on exit — after Ctrl-C, SIGTERM, a crash, even SIGKILL. So right after adding it, while still root, a small helper
 * process is started that waits for its stdin to close and then runs the removal command. remove() closes that pipe
 * and waits for the helper; if the server dies any other way the kernel closes the pipe and the helper still removes
 * the address. Windows has no privilege drop, so there remove() runs the command itself.
 */
import type { NetworkInterfaceInfo } from "node:os";
import { RunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";
import {
  IMDS_IP,
  addCommand,
  addressTool,
  findLoopback,
  holderOfImdsIp,
  removeCommand,
  saysAlreadyPresent,
  saysNotPermitted,
  saysNotPresent,
  shown,
  type AddressTool,
  type CommandLine,
} from "./imdsAddressCommands.js";

export { dropPrivileges, type DropPrivilegesDeps } from "./imdsAddressPrivileges.js";
export { releaseOnExit, type ExitEvents, type ReleaseOnExitOptions } from "./imdsAddressExit.js";
export { IMDS_IP } from "./imdsAddressCommands.js";

/** A privileged helper armed to remove the address: `trigger()` closes its pipe and waits until it has run. */
export interface Remover {
  /** Resolves once the removal command succeeded; rejects with an Error carrying the command's output. */
  trigger(): Promise<void>;
}

export interface ImdsAddressDeps {
  platform: NodeJS.Platform;
  /**
   * Runs a command to completion. Rejects with an Error whose message is the command's output (stderr, then stdout:
   * netsh reports on stdout), with `code: "ENOENT"` when the program is not installed.
   */
  run(cmd: string, args: string[]): Promise<void>;
  networkInterfaces(): NodeJS.Dict<NetworkInterfaceInfo[]>;
  logger: Logger;
  /**
   * Starts, with the current (root) privileges, a helper that runs `cmd args` when its stdin closes and exits with
   * that command's status. Used on every platform but Windows; without it remove() runs the command itself.
   */
  startRemover?(cmd: string, args: string[]): Promise<Remover>;
}

export interface ImdsAddress {
  /** The loopback interface that carries 169.254.169.254. */
  iface: string;
  /** Removes the address if this process added it; idempotent; leaves an address that was there before alone. */
  remove(): Promise<void>;
}

const LOCAL = "serve on a local port with -p <port>";

/** The first line of a tool's output, short enough for a one-line error. */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return line.trim().slice(0, 200);
}

const outputOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const isMissing = (e: unknown): boolean => (e as { code?: unknown } | undefined)?.code === "ENOENT";

/**
 * Adds 169.254.169.254/22 to the loopback interface (core.md §9.2 steps 2–3). An address that is already there is
 * used as it is and left in place on exit. Fails with a clear RunasError when the platform has no such mode, no
 * loopback interface is up, the tool is missing, or the process may not change interfaces (not root).
 */
export async function addImdsAddress(d: ImdsAddressDeps): Promise<ImdsAddress> {
  const { logger } = d;
  const tool = addressTool(d.platform);
  if (tool === undefined) {
    throw new RunasError("PRIVILEGED_MODE", `serving on ${IMDS_IP} is not supported on ${d.platform}: ${LOCAL}`);
  }
  const interfaces = d.networkInterfaces();
  const holder = holderOfImdsIp(interfaces);
  if (holder !== undefined) return notOurs(holder, logger);
  const iface = findLoopback(interfaces);
  if (iface === undefined) {
    const hint = tool === "ip" ? ' (e.g. "ip link set lo up")' : "";
    throw new RunasError("PRIVILEGED_MODE", `no loopback network interface is up: bring it up${hint} and try again`);
  }

  const add = addCommand(tool, iface);
  logger.debug(`configuring interface with command: ${shown(add)}`);
  try {
    await d.run(add.cmd, add.args);
  } catch (e) {
    const output = outputOf(e);
    // Another process (or an earlier run that was killed before its helper could start) put it there.
    if (saysAlreadyPresent(output)) return notOurs(iface, logger);
    throw addFailure(e, tool, iface, output);
  }

  const remove = removeCommand(tool, iface);
  if (d.startRemover !== undefined && tool !== "netsh") {
    let remover: Remover;
    try {
      remover = await d.startRemover(remove.cmd, remove.args);
    } catch (e) {
      // Still privileged here: take the address away again rather than leave it behind with nobody to remove it.
      await d.run(remove.cmd, remove.args).catch(() => undefined);
      throw new RunasError(
        "PRIVILEGED_MODE",
        `could not start the helper that removes ${IMDS_IP} on exit (${firstLine(outputOf(e))}): ${LOCAL}`,
        { cause: e },
      );
    }
    return ours(iface, remove, () => remover.trigger(), logger);
  }
  return ours(iface, remove, () => d.run(remove.cmd, remove.args), logger);
}

function notOurs(iface: string, logger: Logger): ImdsAddress {
  logger.info(`${IMDS_IP} is already on ${iface}: serving on it, and leaving it in place on exit`);
  return { iface, remove: () => Promise.resolve() };
}

/** The address this process added: remove() runs once, however often (and from however many exit paths) it is called. */
function ours(iface: string, remove: CommandLine, runRemoval: () => Promise<void>, logger: Logger): ImdsAddress {
  let done: Promise<void> | undefined;
  return {
    iface,
    remove() {
      done ??= (async () => {
        logger.debug(`configuring interface with command: ${shown(remove)}`);
        try {
          await runRemoval();
        } catch (e) {
          // Gone already (removed by hand, or by the helper when an earlier attempt timed out): that is the goal.
          if (saysNotPresent(outputOf(e))) return;
          throw new RunasError(
            "PRIVILEGED_MODE",
            `could not remove ${IMDS_IP} from ${iface} (${firstLine(outputOf(e))}): remove it with "sudo ${shown(remove)}"`,
            { cause: e },
          );
        }
      })();
      return done;
    },
  };
}

function addFailure(e: unknown, tool: AddressTool, iface: string, output: string): RunasError {
  if (isMissing(e)) {
    const pkg = tool === "ip" ? " (iproute2)" : "";
    return new RunasError("PRIVILEGED_MODE", `the "${tool}" command was not found: install it${pkg} or ${LOCAL}`, {
      cause: e,
    });
  }
  if (saysNotPermitted(output)) {
    const how = tool === "netsh" ? "run it from an Administrator prompt" : "run with sudo";
    return new RunasError("PRIVILEGED_MODE", `serving on ${IMDS_IP}:80 needs root: ${how} (or ${LOCAL})`, { cause: e });
  }
  return new RunasError("PRIVILEGED_MODE", `could not add ${IMDS_IP} to ${iface} (${firstLine(output)}): fix that or ${LOCAL}`, {
    cause: e,
  });
}
