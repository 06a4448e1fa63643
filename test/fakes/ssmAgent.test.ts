/** The fake SSM service and agent refuse what the real ones would: these tests prove it can fail a client. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SSMClient, StartSessionCommand } from "@aws-sdk/client-ssm";
import WebSocket from "ws";
import { encodeAgentMessage } from "../../src/ssm/datachannel/agentMessage.js";
import type { AgentMessage } from "../../src/ssm/datachannel/agentMessage.js";
import { startSsmFake } from "./ssmAgent.js";
import type { SsmFake } from "./ssmAgent.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

function input(seq: number, payloadType: number, payload: Buffer): Buffer {
  const m: AgentMessage = {
    messageType: "input_stream_data",
    schemaVersion: 1,
    createdDate: new Date().getTime(),
    sequenceNumber: seq,
    flags: 0,
    messageId: randomUUID(),
    payloadType,
    payload,
  };
  return encodeAgentMessage(m);
}

describe("strict SSM fake", { timeout: 15_000 }, () => {
  let fake: SsmFake;
  let ssm: SSMClient;
  before(async () => {
    fake = await startSsmFake();
    ssm = new SSMClient({ region: "us-east-1", endpoint: fake.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });
  });
  after(async () => {
    ssm.destroy();
    await fake.close();
  });

  /** Opens a session's channel, runs `script` on it, and returns the violations it caused. */
  async function violationsOf(token: (real: string) => string, script: (ws: WebSocket) => void, document?: string) {
    const before = fake.violations.length;
    const out = await ssm.send(
      new StartSessionCommand(
        document === undefined
          ? { Target: "i-0123456789abcdef0" }
          : { Target: "i-0123456789abcdef0", DocumentName: document, Parameters: { portNumber: ["1"] } },
      ),
    );
    const ws = new WebSocket(out.StreamUrl ?? "");
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ MessageSchemaVersion: "1.0", RequestId: randomUUID(), TokenValue: token(out.TokenValue ?? ""), ClientId: randomUUID(), ClientVersion: "1.1.61.0" }));
    script(ws);
    await new Promise((r) => setTimeout(r, 100));
    ws.close();
    return fake.violations.slice(before);
  }

  it("records StartSession inputs and answers with a ws StreamUrl", async () => {
    const out = await ssm.send(new StartSessionCommand({ Target: "i-0123456789abcdef0", DocumentName: "AWS-StartSSHSession", Parameters: { portNumber: ["22"] } }));
    assert.match(out.StreamUrl ?? "", /^ws:\/\/127\.0\.0\.1:\d+\/v1\/data-channel\/runas-\d+-[0-9a-f]{16}\?role=publish_subscribe$/);
    const s = fake.sessions.find((x) => x.sessionId === out.SessionId);
    assert.equal(s?.Target, "i-0123456789abcdef0");
    assert.deepEqual(s?.Parameters, { portNumber: ["22"] });
  });

  it("refuses StartSession with an unknown document or a non-instance target", async () => {
    const before = fake.violations.length;
    await assert.rejects(ssm.send(new StartSessionCommand({ Target: "web-1" })));
    await assert.rejects(ssm.send(new StartSessionCommand({ Target: "i-0123456789abcdef0", DocumentName: "AWS-RunShellScript" })));
    assert.equal(fake.violations.length - before, 2);
  });

  it("refuses an unsigned request", async () => {
    const before = fake.violations.length;
    const res = await fetch(fake.endpoint, { method: "POST", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.StartSession" }, body: "{}" });
    assert.equal(res.status, 400);
    assert.match(fake.violations[before] ?? "", /SigV4/);
  });

  it("refuses a wrong token", async () => {
    assert.match((await violationsOf(() => "forged", () => undefined)).join(), /wrong TokenValue/);
  });

  it("refuses a damaged digest, a sequence gap and data before the handshake", async () => {
    const v = await violationsOf(
      (t) => t,
      (ws) => {
        const damaged = input(0, 1, Buffer.from("ab"));
        damaged[damaged.length - 1] = 0x7a;
        ws.send(damaged);
        ws.send(input(0, 1, Buffer.from("early")));
        ws.send(input(5, 1, Buffer.from("gap")));
      },
      "AWS-StartPortForwardingSession",
    );
    assert.deepEqual(
      v.map((x) => x.replace(/^session \S+: /, "")),
      ["payload digest mismatch", "data sent before the handshake completed", "input sequence jumped from 1 to 5"],
    );
  });
});
