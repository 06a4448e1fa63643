/**
 * The seam between the `ssm` commands (target resolution, StartSession, the plugin mode) and the built-in Session
 * Manager client (the data channel over a WebSocket, core.md §10.7). The commands call `runSession` with what
 * StartSession returned; the data channel knows nothing of AWS APIs.
 */
import type { Logger } from "../ports.js";

/** What SSM StartSession answers. */
export interface StartedSession {
  SessionId: string;
  StreamUrl: string;
  TokenValue: string;
}

/** The terminal of a shell session: raw mode and size. */
export interface SessionTerminal {
  readonly isTTY: boolean;
  setRawMode(raw: boolean): void;
  /** Columns and rows now; undefined when unknown (then 132×45 is sent). */
  size(): { cols: number; rows: number } | undefined;
  /** Calls `listener` whenever the size changes; returns a function that stops it. */
  onResize(listener: () => void): () => void;
}

/** Where a session's bytes come from and go to. */
export interface SessionIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** Shell sessions only. */
  terminal?: SessionTerminal;
}

export type SessionKind =
  /** An interactive shell (SSM-SessionManagerRunShell): keystrokes in, output out, terminal size sent. */
  | { kind: "shell" }
  /** Port forwarding (AWS-StartPortForwardingSession): a listener on 127.0.0.1:`localPort` (0 = random). */
  | { kind: "port"; localPort: number; onListening?(port: number): void }
  /** A byte stream (AWS-StartSSHSession): stdin/stdout relayed, for an OpenSSH ProxyCommand. */
  | { kind: "stream" };

/**
 * Runs one session to its end: opens the data channel, does the handshake, relays bytes, acknowledges and
 * retransmits, and closes with TerminateSession. Resolves with the exit status (0, or the remote shell's exit code
 * when the agent reports one); rejects with a RunasError (one clear line) when the channel cannot be opened or breaks.
 */
export type RunSession = (o: {
  started: StartedSession;
  session: SessionKind;
  io: SessionIo;
  logger: Logger;
  /** Progress lines for the person (stderr), e.g. "Starting session with SessionId: …". Never stdout. */
  progress(line: string): void;
  signal?: AbortSignal;
}) => Promise<number>;
