/**
 * The part of chrome-remote-interface 0.34 (which ships no types) that the `browser` provider uses: a connection to
 * one DevTools WebSocket, raw commands with an optional flat-mode session id, and events by method name.
 */
declare module "chrome-remote-interface" {
  interface CdpClientOptions {
    /** A `ws://…` URL connects to exactly that target, with no HTTP request to the DevTools port. */
    target: string;
    /** The protocol descriptor; `{ domains: [] }` skips fetching it, as only `send` is used. */
    protocol: { domains: unknown[] };
  }

  interface CdpClient {
    send(method: string, params?: object, sessionId?: string): Promise<unknown>;
    on(event: "disconnect", listener: () => void): unknown;
    on(event: string, listener: (params: unknown, sessionId?: string) => void): unknown;
    close(): Promise<void>;
  }

  function CDP(options: CdpClientOptions): Promise<CdpClient>;
  export default CDP;
}
