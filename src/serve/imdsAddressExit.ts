/**
 * How a server leaves: on Ctrl-C (SIGINT), SIGTERM, SIGQUIT or a closed terminal (SIGHUP) it shuts down, releases
 * what it holds (the 169.254.169.254 address) and exits 0 (decisions.md Q-17, where upstream exits 1); when a
 * request handler throws and nothing catches it, it does the same and exits 1.
 *
 * The order matters: connections are closed while the address still exists. A socket closed after its address is
 * gone can send nothing — its client hears no FIN or reset and waits for a TCP timeout.
 */
import type { Logger } from "../ports.js";

/** The process as far as leaving is concerned (process.on / process.exit in the real deps). */
export interface ExitEvents {
  on(event: string, fn: (error?: unknown) => void): void;
  exit(code: number): void;
}

export interface ReleaseOnExitOptions {
  /** Releases what must not outlive the server (ImdsAddress.remove). */
  release(): Promise<void>;
  /**
   * Runs first: stop the HTTP server AND end its open connections (`server.close()` then
   * `server.closeAllConnections()`), stop background refreshes, remove token files. Also after a crash, where the
   * failed request's connection is still open.
   */
  shutdown?(): Promise<void>;
  logger: Logger;
  events: ExitEvents;
  /** How long shutdown may take before the address is released anyway (default 3 s): a broken server may hang. */
  shutdownLimitMs?: number;
}

export const EXIT_SIGNALS = ["SIGINT", "SIGTERM", "SIGQUIT", "SIGHUP"] as const;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Installs the exit paths. A second signal while cleaning up exits at once (a stuck shutdown must not trap the
 * user); the privileged helper still removes the address then, because the exit closes its pipe.
 */
export function releaseOnExit(o: ReleaseOnExitOptions): void {
  const { logger, events } = o;
  let leaving = false;
  // Worst outcome so far: a crash or a failed cleanup during a signal-driven shutdown still ends in status 1.
  let status = 0;

  const leave = async (): Promise<void> => {
    if (o.shutdown !== undefined) {
      const limitMs = o.shutdownLimitMs ?? 3000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), limitMs)));
      try {
        const done = o.shutdown().then(() => "done" as const);
        // Still failing after the limit is not a crash of its own: the address is being released already.
        done.catch(() => undefined);
        const outcome = await Promise.race([done, late]);
        if (outcome === "late") logger.warn(`the server did not shut down within ${limitMs} ms: releasing anyway`);
      } catch (e) {
        logger.error(`shutting the server down failed: ${messageOf(e)}`);
        status = 1;
      } finally {
        clearTimeout(timer);
      }
    }
    try {
      await o.release();
    } catch (e) {
      logger.error(messageOf(e));
      status = 1;
    }
    events.exit(status);
  };

  for (const signal of EXIT_SIGNALS) {
    events.on(signal, () => {
      if (leaving) {
        logger.warn(`${signal} again: exiting without waiting for the shutdown to finish`);
        events.exit(status);
        return;
      }
      leaving = true;
      logger.info(`${signal} received: shutting down`);
      void leave();
    });
  }

  events.on("uncaughtException", (error) => {
    logger.error(`the server failed: ${messageOf(error)}`);
    if (error instanceof Error && error.stack !== undefined) logger.debug(error.stack);
    status = 1;
    if (leaving) return;
    leaving = true;
    void leave();
  });
}
