import http from "node:http";

/** One AWS API call seen by the proxy. */
export interface RecordedCall {
  action: string;
  params: URLSearchParams;
  /** The access key id that signed the request (from the SigV4 Authorization header). */
  accessKeyId: string;
}

/** A rule that answers a call itself instead of forwarding it, for the failures moto cannot produce. */
export type StubRule = (call: RecordedCall) => { status: number; body: string } | undefined;

export interface RecordingProxy {
  url: string;
  calls: RecordedCall[];
  /** Actions recorded so far, e.g. ["GetSessionToken", "GetCallerIdentity", "AssumeRole"]. */
  actions(): string[];
  clear(): void;
  stubs: StubRule[];
  close(): Promise<void>;
}

/** The XML error body STS (query protocol) returns. */
export function stsErrorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`;
}

/**
 * An HTTP proxy in front of moto that records every AWS call (the `Action` of query-protocol requests, or the
 * X-Amz-Target of JSON ones), so tests can count STS calls exactly.
 */
export function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  const stubs: StubRule[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const text = body.toString("utf8");
      const query = new URL(req.url ?? "/", "http://x").searchParams;
      const params = new URLSearchParams(text.includes("=") && !text.startsWith("{") ? text : query.toString());
      const amzTarget = req.headers["x-amz-target"];
      const action = params.get("Action") ?? (typeof amzTarget === "string" ? amzTarget.split(".").pop() ?? "" : "");
      const auth = req.headers.authorization ?? "";
      const accessKeyId = /Credential=([^/]+)\//.exec(auth)?.[1] ?? "";
      const call = { action, params, accessKeyId };
      calls.push(call);
      for (const stub of stubs) {
        const answer = stub(call);
        if (answer !== undefined) {
          res.writeHead(answer.status, { "content-type": "text/xml" });
          res.end(answer.body);
          return;
        }
      }
      const headers = { ...req.headers };
      delete headers["content-length"];
      fetch(`${target}${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers: headers as Record<string, string>,
        ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
      }).then(
        async (r) => {
          const out = Buffer.from(await r.arrayBuffer());
          const h: Record<string, string> = {};
          r.headers.forEach((v, k) => {
            if (k !== "content-encoding" && k !== "transfer-encoding" && k !== "content-length") h[k] = v;
          });
          res.writeHead(r.status, h);
          res.end(out);
        },
        (e: unknown) => {
          res.writeHead(502);
          res.end(String(e));
        },
      );
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        calls,
        stubs,
        actions: () => calls.map((c) => c.action),
        clear: () => {
          calls.length = 0;
        },
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

