import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildHandshakeResponse, KMS_UNSUPPORTED, parseHandshakeRequest, requestsKms } from "./handshake.js";
import { CLIENT_VERSION } from "./messageTypes.js";

describe("handshake", () => {
  it("accepts the session type", () => {
    const request = parseHandshakeRequest(
      Buffer.from(JSON.stringify({ AgentVersion: "3.3.40.0", RequestedClientActions: [{ ActionType: "SessionType", ActionParameters: { SessionType: "Port", Properties: { portNumber: "22" } } }] })),
    );
    assert.deepEqual(buildHandshakeResponse(request), {
      ClientVersion: CLIENT_VERSION,
      ProcessedClientActions: [{ ActionType: "SessionType", ActionStatus: 1 }],
      Errors: [],
    });
    assert.equal(requestsKms(request), false);
  });

  it("reports KMS encryption unsupported (3) with a reason, one entry per requested action in order", () => {
    const request = { RequestedClientActions: [{ ActionType: "SessionType" }, { ActionType: "KMSEncryption", ActionParameters: { KMSKeyId: "k" } }, { ActionType: "Telepathy" }] };
    assert.deepEqual(buildHandshakeResponse(request).ProcessedClientActions, [
      { ActionType: "SessionType", ActionStatus: 1 },
      { ActionType: "KMSEncryption", ActionStatus: 3, Error: KMS_UNSUPPORTED },
      { ActionType: "Telepathy", ActionStatus: 3, Error: "action Telepathy is not supported" },
    ]);
    assert.equal(requestsKms(request), true);
  });

  it("reports a client version below 1.1.70 so agents do not switch to smux", () => {
    const [major, minor, patch] = CLIENT_VERSION.split(".").map(Number);
    assert.ok(major === 1 && minor === 1 && (patch ?? 0) < 70);
  });

  it("refuses a request that is not a JSON object", () => {
    assert.throws(() => parseHandshakeRequest(Buffer.from("[]")), /not a JSON object/);
    assert.throws(() => parseHandshakeRequest(Buffer.from('{"RequestedClientActions":3}')), /not a list/);
    assert.throws(() => parseHandshakeRequest(Buffer.from("{")), SyntaxError);
  });
});
