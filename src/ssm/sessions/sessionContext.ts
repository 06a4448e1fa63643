/**
 * What a session driver (shell, port, stream) is given by runSession, and what it must answer to. Drivers move
 * bytes between the local side and the data channel; runSession owns the channel, the socket and the ending.
 */
import type { Logger } from "../../ports.js";
import type { SessionIo } from "../contracts.js";
import type { DataChannel } from "../datachannel/dataChannel.js";

export interface SessionContext {
  readonly channel: DataChannel;
  readonly io: SessionIo;
  readonly sessionId: string;
  readonly logger: Logger;
  /** A line for the person, on stderr. */
  progress(line: string): void;
  /** Ends the session with `status` (only the first ending counts). */
  finish(status: number): void;
  /** Ends the session with an error. */
  fail(error: Error): void;
  /** Sends TerminateSession, then ends the session with `status`. */
  terminate(status: number): void;
}

export interface SessionDriver {
  /** The handshake is complete: start moving bytes. */
  ready(): void;
  /** Agent output of payload type 1 (data), 2 (error) or 11 (stderr). */
  output(payload: Buffer, payloadType: number): void;
  /** The agent closed the channel, with its closing text. */
  closed(output: string): void;
  /** The run was aborted (a signal): leave politely. */
  aborted(): void;
  exitCode?(code: number): void;
  portError?(): void;
  /** The send window has room again. */
  writable?(): void;
  /** Every sent message has been acknowledged. */
  drained?(): void;
  /** Releases terminal mode, listeners and sockets; called once when the session ends, however it ends. */
  cleanup(): void;
}

/**
 * Forwards `source` into the channel as data messages, pausing the source while the send window is full; the
 * returned pair resumes it (when the window opens) and detaches it.
 */
export function pipeIntoChannel(
  source: NodeJS.ReadableStream,
  channel: DataChannel,
): { resume(): void; detach(): void } {
  const onData = (chunk: Buffer | string) => {
    channel.sendData(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    if (!channel.writable) source.pause();
  };
  source.on("data", onData);
  source.resume();
  return {
    resume: () => {
      if (channel.writable) source.resume();
    },
    detach: () => {
      source.off("data", onData);
      source.pause();
    },
  };
}
