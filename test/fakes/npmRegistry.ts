import http from "node:http";
import type { AddressInfo } from "node:net";

/** How the fake registry answers a package document request. */
export type RegistryBehaviour =
  | { kind: "document"; latest: string }
  | { kind: "status"; status: number; body?: string }
  | { kind: "body"; body: string }
  | { kind: "hang" };

export interface FakeRegistry {
  /** The registry URL, with a trailing slash, as npm_config_registry would hold it. */
  url: string;
  /** Method, path and Accept header of every request. */
  requests: { method: string; path: string; accept: string | undefined }[];
  behaviour: RegistryBehaviour;
  close(): Promise<void>;
}

/**
 * A stand-in for an npm registry on 127.0.0.1: answers GET /<name> with an abbreviated package document whose
 * `dist-tags.latest` is the configured version, or with a status, a raw body, or nothing at all.
 */
export async function startFakeRegistry(name: string, behaviour: RegistryBehaviour): Promise<FakeRegistry> {
  const requests: FakeRegistry["requests"] = [];
  const hanging: http.ServerResponse[] = [];
  const registry: FakeRegistry = { url: "", requests, behaviour, close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", accept: req.headers.accept });
    const b = registry.behaviour;
    if (b.kind === "hang") {
      hanging.push(res);
      return;
    }
    if (req.url !== `/${name}`) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found"}');
      return;
    }
    if (b.kind === "status") {
      res.writeHead(b.status, { "content-type": "application/json" }).end(b.body ?? "");
    } else if (b.kind === "body") {
      res.writeHead(200, { "content-type": "application/json" }).end(b.body);
    } else {
      const versions = Object.fromEntries(["0.0.1", b.latest].map((v) => [v, { name, version: v }]));
      res.writeHead(200, { "content-type": "application/vnd.npm.install-v1+json" })
        .end(JSON.stringify({ name, "dist-tags": { latest: b.latest }, versions, modified: "2024-05-01T12:00:00.000Z" }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  registry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  registry.close = () => new Promise((resolve) => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return registry;
}

/** A registry URL nothing listens on: a port that was free a moment ago. */
export async function unreachableRegistryUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
