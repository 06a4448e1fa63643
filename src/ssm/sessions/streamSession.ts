/**
 * A byte stream for an OpenSSH ProxyCommand (core.md §10.5, §10.7): stdin to the agent, the agent's data to stdout
 * and nothing else to stdout. At stdin's end the session waits until everything sent has been acknowledged, then
 * sends TerminateSession.
 */
import { PayloadType } from "../datachannel/messageTypes.js";
import type { SessionContext, SessionDriver } from "./sessionContext.js";
import { pipeIntoChannel } from "./sessionContext.js";

export function streamSession(ctx: SessionContext): SessionDriver {
  const { io, channel } = ctx;
  let input: ReturnType<typeof pipeIntoChannel> | undefined;
  let ending = false;

  const endWhenDrained = () => {
    if (ending && channel.unacknowledged === 0) ctx.terminate(0);
  };
  const onEnd = () => {
    ending = true;
    endWhenDrained();
  };

  return {
    ready() {
      // An input that was already read to its end elsewhere emits no further "end".
      if ((io.stdin as { readableEnded?: boolean }).readableEnded === true) return onEnd();
      io.stdin.once("end", onEnd);
      input = pipeIntoChannel(io.stdin, channel);
    },
    output(payload, payloadType) {
      if (payloadType === PayloadType.Output) io.stdout.write(payload);
      // The agent's error text must not corrupt the SSH byte stream.
      else ctx.logger.debug(`SSM session ${ctx.sessionId}: ${payload.toString("utf8").trim()}`);
    },
    closed(output) {
      if (output !== "") ctx.progress(output);
      ctx.finish(0);
    },
    aborted() {
      ctx.terminate(0);
    },
    writable() {
      input?.resume();
    },
    drained: endWhenDrained,
    cleanup() {
      io.stdin.off("end", onEnd);
      input?.detach();
    },
  };
}
