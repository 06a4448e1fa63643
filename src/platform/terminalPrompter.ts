import { openSync, closeSync } from "node:fs";
import type { Readable } from "node:stream";
import type { Prompter } from "../ports.js";

/** What was read from a stream beyond the last line handed out, and whether the stream has ended. */
interface Pending {
  buffer: string;
  ended: boolean;
}
const pending = new WeakMap<Readable, Pending>();

/**
 * Reads one line from a stream, leaving it paused for whoever reads next. Input that arrived beyond the line is kept
 * for the next call (a pipe delivers several answers in one chunk), and at the end of the input every further call
 * resolves with what is left (finally ""), so a prompt never waits on a stream that has ended.
 */
export function readLine(input: Readable): Promise<string> {
  const state = pending.get(input) ?? { buffer: "", ended: false };
  pending.set(input, state);
  // The stream may have emitted 'end' while nobody listened (between two prompts).
  if (input.readableEnded) state.ended = true;
  const take = (): string | undefined => {
    const nl = state.buffer.indexOf("\n");
    if (nl >= 0) {
      const line = state.buffer.slice(0, nl).replace(/\r$/, "");
      state.buffer = state.buffer.slice(nl + 1);
      return line;
    }
    if (state.ended) {
      const rest = state.buffer;
      state.buffer = "";
      return rest;
    }
    return undefined;
  };
  const ready = take();
  if (ready !== undefined) return Promise.resolve(ready);

  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer | string): void => {
      state.buffer += chunk.toString();
      const line = take();
      if (line !== undefined) {
        done();
        resolve(line);
      }
    };
    const onEnd = (): void => {
      state.ended = true;
      done();
      resolve(take() ?? "");
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    const done = (): void => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onError);
      input.pause();
    };
    input.on("data", onData);
    input.on("end", onEnd);
    input.on("error", onError);
    input.resume();
  });
}

/**
 * Reads a line with the terminal's echo off, handling backspace and Ctrl-C. The prompt is written only once echo is
 * off, so nothing typed ahead is shown.
 */
function readHidden(input: NodeJS.ReadStream, message: string, write: (t: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = "";
    input.setRawMode(true);
    write(message);
    const finish = (): void => {
      input.setRawMode(false);
      input.off("data", onData);
      input.pause();
      write("\n");
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new Error("interrupted"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on("data", onData);
    input.resume();
  });
}

/**
 * Asks on the terminal: the prompt goes to stderr (stdout belongs to the credentials), the answer comes from stdin
 * when it is a terminal, else from /dev/tty (so prompts work when stdin is piped, e.g. under credential_process),
 * else one line of stdin (decisions Q-15).
 */
export function createTerminalPrompter(getStdin: () => NodeJS.ReadStream, writeErr: (t: string) => void): Prompter {
  const withInput = async <T>(fn: (input: NodeJS.ReadStream | Readable, isTty: boolean) => Promise<T>): Promise<T> => {
    // process.stdin is a getter that builds a stream: touch it only when a prompt is really needed.
    const stdin = getStdin();
    if (stdin.isTTY) return fn(stdin, true);
    let fd: number | undefined;
    try {
      fd = openSync("/dev/tty", "r");
    } catch {
      fd = undefined;
    }
    if (fd === undefined) return fn(stdin, false);
    const tty = await import("node:tty");
    const input = new tty.ReadStream(fd);
    try {
      return await fn(input, true);
    } finally {
      input.destroy();
      try {
        closeSync(fd);
      } catch {
        // already closed by destroy()
      }
    }
  };
  return {
    text: (message) =>
      withInput((input) => {
        writeErr(message);
        return readLine(input);
      }),
    secret: (message) =>
      withInput((input, isTty) => {
        if (isTty && "setRawMode" in input) return readHidden(input as NodeJS.ReadStream, message, writeErr);
        writeErr(message);
        return readLine(input);
      }),
  };
}
