/**
 * The data channel's WebSocket (`ws`), reduced to what DataChannel and runSession use: send text/binary, receive
 * frames, learn of the close.
 */
import WebSocket from "ws";
import type { ChannelSocket } from "./dataChannel.js";

export interface ChannelTransport extends ChannelSocket {
  onFrame(listener: (data: Buffer, isBinary: boolean) => void): void;
  onClose(listener: (code: number, reason: string) => void): void;
  /** Closes after whatever was sent has gone out. */
  close(): void;
}

/** Connects to `url`; rejects with the socket's error (unreachable host, refused upgrade…). */
export function connectWebSocket(url: string): Promise<ChannelTransport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const failed = (e: Error) => reject(e);
    ws.once("error", failed);
    ws.once("unexpected-response", (_req, res) => {
      reject(new Error(`the server answered HTTP ${res.statusCode ?? "?"} instead of a WebSocket upgrade`));
      ws.terminate();
    });
    ws.once("open", () => {
      ws.off("error", failed);
      // Errors after the open show up as a close; without a listener `ws` would throw them.
      ws.on("error", () => undefined);
      resolve({
        sendText: (text) => ws.send(text),
        sendBinary: (frame) => ws.send(frame, { binary: true }),
        onFrame: (listener) =>
          ws.on("message", (data, isBinary) => listener(toBuffer(data), isBinary)),
        onClose: (listener) => ws.on("close", (code, reason) => listener(code, reason.toString("utf8"))),
        close: () => {
          if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
        },
      });
    });
  });
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
