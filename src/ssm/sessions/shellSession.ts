/**
 * An interactive shell (core.md §10.7): the local terminal in raw mode (keys, including Ctrl-C, go to the remote
 * shell), the terminal size sent at the start and on every change, remote output to stdout, the remote exit status
 * as ours, and the terminal restored however the session ends.
 */
import { PayloadType } from "../datachannel/messageTypes.js";
import type { SessionContext, SessionDriver } from "./sessionContext.js";
import { pipeIntoChannel } from "./sessionContext.js";

/** Sent when the terminal cannot tell its size. */
export const DEFAULT_SIZE = { cols: 132, rows: 45 } as const;

export function shellSession(ctx: SessionContext): SessionDriver {
  const { io, channel } = ctx;
  const terminal = io.terminal;
  const raw = terminal?.isTTY === true;
  if (raw) terminal?.setRawMode(true);
  let exitStatus = 0;
  let lastSize = "";
  let stopResize: (() => void) | undefined;
  let input: ReturnType<typeof pipeIntoChannel> | undefined;

  const sendSize = () => {
    const known = terminal?.size();
    // A pseudo-terminal nobody sized reports 0x0; the agent wants a real size.
    const size = known !== undefined && known.cols > 0 && known.rows > 0 ? known : DEFAULT_SIZE;
    const key = `${size.cols}x${size.rows}`;
    if (key === lastSize) return;
    lastSize = key;
    channel.sendSize(size.cols, size.rows);
  };

  return {
    ready() {
      sendSize();
      stopResize = terminal?.onResize(sendSize);
      input = pipeIntoChannel(io.stdin, channel);
    },
    output(payload, payloadType) {
      // Stdout and stderr of the remote shell both belong on the person's terminal.
      if (payloadType === PayloadType.Output || payloadType === PayloadType.StdErr || payloadType === PayloadType.Error) {
        io.stdout.write(payload);
      }
    },
    exitCode(code) {
      exitStatus = code;
    },
    closed(output) {
      if (output !== "") io.stdout.write(`\r\n${output}\r\n`);
      ctx.finish(exitStatus);
    },
    aborted() {
      ctx.terminate(exitStatus);
    },
    writable() {
      input?.resume();
    },
    cleanup() {
      input?.detach();
      stopResize?.();
      if (raw) terminal?.setRawMode(false);
    },
  };
}
