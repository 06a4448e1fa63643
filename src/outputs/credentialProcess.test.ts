import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Credentials } from "../domain/credentials.js";
import { toCredentialProcessJson } from "./credentialProcess.js";

describe("toCredentialProcessJson (T-CRD-01)", () => {
  const expiration = new Date("2024-05-01T13:04:05.250Z");
  const cases: { name: string; creds: Credentials; want: string }[] = [
    {
      name: "session credentials with expiration",
      creds: { accessKeyId: "ASIAX", secretAccessKey: "s/e+c=", sessionToken: "tok==", expiration },
      want:
        '{"AccessKeyId":"ASIAX","SecretAccessKey":"s/e+c=","SessionToken":"tok==","Version":1,' +
        '"Expiration":"2024-05-01T13:04:05Z"}\n',
    },
    {
      name: "without expiration",
      creds: { accessKeyId: "ASIAX", secretAccessKey: "sec", sessionToken: "tok" },
      want: '{"AccessKeyId":"ASIAX","SecretAccessKey":"sec","SessionToken":"tok","Version":1}\n',
    },
    {
      name: "without token",
      creds: { accessKeyId: "AKIAX", secretAccessKey: "sec", expiration },
      want: '{"AccessKeyId":"AKIAX","SecretAccessKey":"sec","Version":1,"Expiration":"2024-05-01T13:04:05Z"}\n',
    },
    {
      name: "an empty token counts as none",
      creds: { accessKeyId: "AKIAX", secretAccessKey: "sec", sessionToken: "" },
      want: '{"AccessKeyId":"AKIAX","SecretAccessKey":"sec","Version":1}\n',
    },
    {
      name: "characters JSON must escape",
      creds: { accessKeyId: "A", secretAccessKey: 'q"b\\s\n' },
      want: '{"AccessKeyId":"A","SecretAccessKey":"q\\"b\\\\s\\n","Version":1}\n',
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(toCredentialProcessJson(c.creds), c.want));
  }

  it("parses back to the same values", () => {
    const creds: Credentials = { accessKeyId: "ASIAX", secretAccessKey: 's"e\\c', sessionToken: "tok", expiration };
    assert.deepEqual(JSON.parse(toCredentialProcessJson(creds)), {
      AccessKeyId: "ASIAX",
      SecretAccessKey: 's"e\\c',
      SessionToken: "tok",
      Version: 1,
      Expiration: "2024-05-01T13:04:05Z",
    });
  });

  it("is exactly one line", () => {
    const out = toCredentialProcessJson({ accessKeyId: "A", secretAccessKey: "line\nbreak", sessionToken: "t" });
    assert.equal(out.indexOf("\n"), out.length - 1);
  });
});
