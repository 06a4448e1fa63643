/**
 * The DevTools protocol connection of the `browser` provider, reduced to what it needs so tests can script a fake
 * browser. The real one is chrome-remote-interface, loaded only when a browser sign-in runs.
 */

/** One connection to the browser target. */
export interface CdpConnection {
  /** Sends a command (to the browser target, or to the attached target of `sessionId`); rejects on a protocol error. */
  send(method: string, params?: object, sessionId?: string): Promise<unknown>;
  /** Events by method name (`Fetch.requestPaused` …), from every attached session. */
  on(method: string, listener: (params: unknown) => void): void;
  /** Called once when the connection ends: the browser quit or crashed. */
  onDisconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** Connects to `webSocketUrl` (the browser target from DevToolsActivePort). */
export async function connectCdp(webSocketUrl: string): Promise<CdpConnection> {
  const { default: CDP } = await import("chrome-remote-interface");
  const client = await CDP({ target: webSocketUrl, protocol: { domains: [] } });
  return {
    send: (method, params, sessionId) =>
      sessionId === undefined ? client.send(method, params ?? {}) : client.send(method, params ?? {}, sessionId),
    on: (method, listener) => {
      client.on(method, (params) => listener(params));
    },
    onDisconnect: (listener) => {
      client.on("disconnect", () => listener());
    },
    close: () => client.close(),
  };
}
