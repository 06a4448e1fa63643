import { after, afterEach, before } from "node:test";
import { startMoto, type Moto } from "./moto.js";
import { startRecordingProxy, type RecordingProxy } from "./recordingProxy.js";

/**
 * Call inside a describe(): runs moto_server with a recording proxy in front for that suite (started once, stopped
 * at the end even when a test fails), clears the recorded calls and stubs after each test, and hands the proxy over.
 */
export function useMotoBehindProxy(onReady: (proxy: RecordingProxy) => void): void {
  let moto: Moto | undefined;
  let proxy: RecordingProxy | undefined;
  before(async () => {
    moto = await startMoto();
    proxy = await startRecordingProxy(moto.url);
    onReady(proxy);
  });
  after(async () => {
    await proxy?.close();
    await moto?.stop();
  });
  afterEach(() => {
    proxy?.clear();
    if (proxy !== undefined) proxy.stubs.length = 0;
  });
}
