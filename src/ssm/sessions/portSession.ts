/**
 * Port forwarding in the agent's basic mode (core.md §10.4, §10.7): a listener on 127.0.0.1 only, one local
 * connection relayed at a time (later ones wait their turn), DisconnectToPort when it closes so the agent drops its
 * side, and TerminateSession when the run is stopped.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";
import { PayloadType, SessionFlag } from "../datachannel/messageTypes.js";
import { sessionFailed } from "../datachannel/sessionFailed.js";
import type { SessionContext, SessionDriver } from "./sessionContext.js";

export function portSession(
  ctx: SessionContext,
  o: { localPort: number; onListening?(port: number): void },
): SessionDriver {
  const { channel } = ctx;
  let server: net.Server | undefined;
  let active: { socket: net.Socket; resume(): void } | undefined;
  const waiting: net.Socket[] = [];
  const all = new Set<net.Socket>();

  const serve = (socket: net.Socket) => {
    ctx.progress(`Connection accepted for session [${ctx.sessionId}]`);
    const onData = (chunk: Buffer) => {
      channel.sendData(chunk);
      if (!channel.writable) socket.pause();
    };
    socket.on("data", onData);
    socket.once("close", () => {
      socket.off("data", onData);
      if (active?.socket !== socket) return;
      active = undefined;
      // The agent closes its connection to the remote port and opens a new one for the next local connection.
      channel.sendFlag(SessionFlag.DisconnectToPort);
      next();
    });
    active = {
      socket,
      resume: () => {
        if (channel.writable) socket.resume();
      },
    };
    socket.resume();
  };

  const next = () => {
    for (let s = waiting.shift(); s !== undefined; s = waiting.shift()) {
      if (!s.destroyed) return serve(s);
    }
  };

  const accept = (socket: net.Socket) => {
    all.add(socket);
    socket.once("close", () => all.delete(socket));
    socket.on("error", (e) => ctx.logger.debug(`local connection error: ${e.message}`));
    if (active === undefined) return serve(socket);
    // One connection at a time: later ones wait, unread, until the current one closes.
    socket.pause();
    waiting.push(socket);
  };

  return {
    ready() {
      server = net.createServer({ pauseOnConnect: true }, accept);
      server.once("error", (e: NodeJS.ErrnoException) => {
        const what =
          e.code === "EADDRINUSE"
            ? `local port ${o.localPort} is already in use; choose another with -p`
            : `cannot listen on 127.0.0.1:${o.localPort}: ${e.message}`;
        ctx.fail(sessionFailed(what, e));
      });
      server.listen(o.localPort, "127.0.0.1", () => {
        const port = (server?.address() as AddressInfo).port;
        ctx.progress(`Port ${port} opened for sessionId ${ctx.sessionId}.`);
        ctx.progress("Waiting for connections...");
        o.onListening?.(port);
      });
    },
    output(payload, payloadType) {
      if (payloadType !== PayloadType.Output) {
        ctx.logger.debug(`SSM session ${ctx.sessionId}: ${payload.toString("utf8").trim()}`);
        return;
      }
      if (active === undefined) {
        ctx.logger.debug(`SSM session ${ctx.sessionId}: ${payload.length} byte(s) arrived with no local connection`);
        return;
      }
      active.socket.write(payload);
    },
    portError() {
      ctx.logger.warn(`the instance refused the connection to the remote port of session ${ctx.sessionId}`);
      active?.socket.destroy();
    },
    closed(output) {
      if (output !== "") ctx.progress(output);
      ctx.finish(0);
    },
    aborted() {
      ctx.terminate(0);
    },
    writable() {
      active?.resume();
    },
    cleanup() {
      server?.close();
      for (const s of all) s.destroy();
    },
  };
}
