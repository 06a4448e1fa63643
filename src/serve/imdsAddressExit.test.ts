import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EXIT_SIGNALS, releaseOnExit, type ExitEvents } from "./imdsAddressExit.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";

/** Records what happens, in order; `emit` plays the process's events, `exited` resolves with the exit status. */
function harness(o: { shutdownFails?: boolean; releaseFails?: boolean; holdShutdown?: boolean; shutdownLimitMs?: number } = {}) {
  const steps: string[] = [];
  const handlers = new Map<string, (error?: unknown) => void>();
  let exitWith: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exitWith = resolve));
  let finishShutdown: () => void = () => undefined;
  const events: ExitEvents = {
    on(event, fn) {
      assert.ok(!handlers.has(event), `${event} registered twice`);
      handlers.set(event, fn);
    },
    exit(code) {
      steps.push(`exit ${code}`);
      exitWith(code);
    },
  };
  const logger = memoryLogger();
  releaseOnExit({
    logger,
    events,
    ...(o.shutdownLimitMs !== undefined ? { shutdownLimitMs: o.shutdownLimitMs } : {}),
    async shutdown() {
      steps.push("shutdown");
      if (o.holdShutdown === true) await new Promise<void>((r) => (finishShutdown = r));
      if (o.shutdownFails === true) throw new Error("server.close failed");
    },
    async release() {
      steps.push("release");
      if (o.releaseFails === true) {
        throw new Error('could not remove 169.254.169.254 from lo (boom): remove it with "sudo ip address del 169.254.169.254/22 dev lo"');
      }
    },
  });
  const emit = (event: string, arg?: unknown): void => {
    const fn = handlers.get(event);
    assert.ok(fn !== undefined, `no handler for ${event}`);
    fn(arg);
  };
  return { steps, handlers, emit, exited, logger, finishShutdown: () => finishShutdown() };
}

describe("releaseOnExit", () => {
  it("listens to SIGINT, SIGTERM, SIGQUIT, SIGHUP and uncaught exceptions", () => {
    const h = harness();
    assert.deepEqual([...h.handlers.keys()].sort(), [...EXIT_SIGNALS, "uncaughtException"].sort());
  });

  for (const signal of EXIT_SIGNALS) {
    it(`${signal}: shuts the server down, then releases the address, then exits 0`, async () => {
      const h = harness();
      h.emit(signal);
      assert.equal(await h.exited, 0);
      assert.deepEqual(h.steps, ["shutdown", "release", "exit 0"]);
      assert.ok(h.logger.lines.includes(`INFO ${signal} received: shutting down`));
    });
  }

  it("an uncaught exception: closes the server's connections while the address exists, releases it, exits 1", async () => {
    const h = harness();
    h.emit("uncaughtException", new Error("handler blew up"));
    assert.equal(await h.exited, 1);
    assert.deepEqual(h.steps, ["shutdown", "release", "exit 1"]);
    assert.ok(h.logger.lines.includes("ERROR the server failed: handler blew up"));
  });

  it("a failed release is reported and the exit status is 1", async () => {
    const h = harness({ releaseFails: true });
    h.emit("SIGTERM");
    assert.equal(await h.exited, 1);
    assert.deepEqual(h.steps, ["shutdown", "release", "exit 1"]);
    assert.ok(
      h.logger.lines.includes(
        'ERROR could not remove 169.254.169.254 from lo (boom): remove it with "sudo ip address del 169.254.169.254/22 dev lo"',
      ),
    );
  });

  it("a failed shutdown still releases the address, and exits 1", async () => {
    const h = harness({ shutdownFails: true });
    h.emit("SIGINT");
    assert.equal(await h.exited, 1);
    assert.deepEqual(h.steps, ["shutdown", "release", "exit 1"]);
  });

  it("a shutdown that hangs: the address is released anyway after the limit", async () => {
    const h = harness({ holdShutdown: true, shutdownLimitMs: 1 });
    h.emit("uncaughtException", new Error("handler blew up"));
    assert.equal(await h.exited, 1);
    assert.deepEqual(h.steps, ["shutdown", "release", "exit 1"]);
    assert.ok(h.logger.lines.includes("WARN the server did not shut down within 1 ms: releasing anyway"));
  });

  it("a second signal while shutting down exits at once (the helper still removes the address)", async () => {
    const h = harness({ holdShutdown: true, shutdownLimitMs: 1 });
    h.emit("SIGINT");
    h.emit("SIGINT");
    assert.equal(await h.exited, 0);
    assert.deepEqual(h.steps, ["shutdown", "exit 0"]);
    assert.ok(h.logger.lines.includes("WARN SIGINT again: exiting without waiting for the shutdown to finish"));
  });

  it("a crash during a signal-driven shutdown makes the status 1", async () => {
    const h = harness({ holdShutdown: true });
    h.emit("SIGTERM");
    h.emit("uncaughtException", new Error("late failure"));
    h.finishShutdown();
    assert.equal(await h.exited, 1);
    assert.deepEqual(h.steps, ["shutdown", "release", "exit 1"]);
  });
});
