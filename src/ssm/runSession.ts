/**
 * The built-in Session Manager client (core.md §10.7): opens the data channel of a started session over a
 * WebSocket, drives it with the session kind's driver, and ends it when the agent closes the channel, the local side
 * is done, or the run is aborted.
 */
import { isRunasError } from "../domain/errors.js";
import { systemClock } from "../platform/systemClock.js";
import type { RunSession } from "./contracts.js";
import { DataChannel } from "./datachannel/dataChannel.js";
import type { ChannelTimers } from "./datachannel/dataChannel.js";
import { SessionFlag } from "./datachannel/messageTypes.js";
import { sessionFailed } from "./datachannel/sessionFailed.js";
import { connectWebSocket } from "./datachannel/wsTransport.js";
import type { ChannelTransport } from "./datachannel/wsTransport.js";
import { portSession } from "./sessions/portSession.js";
import type { SessionContext, SessionDriver } from "./sessions/sessionContext.js";
import { shellSession } from "./sessions/shellSession.js";
import { streamSession } from "./sessions/streamSession.js";

export interface RunSessionDeps {
  connect(url: string): Promise<ChannelTransport>;
  timers: ChannelTimers;
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A RunSession over `deps` (tests swap the timers, the clock or the transport). */
export function createRunSession(deps: RunSessionDeps): RunSession {
  return async ({ started, session, io, logger, progress, signal }) => {
    const id = started.SessionId;
    // A ProxyCommand's stderr shows up in the person's ssh output; keep the stream kind quiet there.
    const say = session.kind === "stream" ? (line: string) => logger.debug(line) : progress;
    say(`Starting session with SessionId: ${id}`);
    let transport: ChannelTransport;
    try {
      transport = await deps.connect(started.StreamUrl);
    } catch (e) {
      throw sessionFailed(
        `cannot open the Session Manager data channel of session ${id}: ${(e as Error).message}; check that the ssmmessages endpoint is reachable`,
        e,
      );
    }
    return new Promise<number>((resolve, reject) => {
      let done = false;
      const onAbort = () => driver.aborted();
      const end = (settle: () => void) => {
        if (done) return;
        done = true;
        channel.stop();
        signal?.removeEventListener("abort", onAbort);
        try {
          driver.cleanup();
        } finally {
          transport.close();
          settle();
        }
      };
      const ctx: SessionContext = {
        get channel() {
          return channel;
        },
        io,
        sessionId: id,
        logger,
        progress: say,
        finish: (status) =>
          end(() => {
            if (session.kind !== "stream") say(`Exiting session with sessionId: ${id}.`);
            resolve(status);
          }),
        fail: (e) =>
          end(() => reject(isRunasError(e) ? e : sessionFailed(`Session Manager session ${id} failed: ${e.message}`, e))),
        terminate: (status) => {
          if (!done) channel.sendFlag(SessionFlag.TerminateSession);
          ctx.finish(status);
        },
      };
      const channel: DataChannel = new DataChannel({
        socket: transport,
        timers: deps.timers,
        now: deps.now,
        logger,
        events: {
          output: (payload, type) => driver.output(payload, type),
          ready: () => driver.ready(),
          exitCode: (code) => driver.exitCode?.(code),
          portError: () => driver.portError?.(),
          closed: (output) => driver.closed(output),
          failed: (e) => ctx.fail(e),
          writable: () => driver.writable?.(),
          drained: () => driver.drained?.(),
          notice: (line) => say(line),
        },
      });
      // The channel's events reach the driver only from later socket frames, after this line has run.
      const driver: SessionDriver =
        session.kind === "shell"
          ? shellSession(ctx)
          : session.kind === "port"
            ? portSession(ctx, session)
            : streamSession(ctx);
      transport.onFrame((data, isBinary) => {
        if (isBinary) channel.receive(data);
        else logger.debug(`SSM data channel: ignored a text frame`);
      });
      transport.onClose((code, reason) => {
        if (done) return;
        ctx.fail(
          sessionFailed(
            `the Session Manager connection of session ${id} closed unexpectedly (code ${code}${reason === "" ? "" : `: ${reason}`}); start the session again`,
          ),
        );
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      channel.open(started.TokenValue);
      if (signal?.aborted) onAbort();
    });
  };
}

/** The built-in client with the real WebSocket, timers and clock. */
export const runSession: RunSession = createRunSession({
  connect: connectWebSocket,
  timers: { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) },
  now: () => systemClock.now().getTime(),
});
