import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import { cacheFileName, cacheNameForArn, createCredentialCache } from "./credentialCache.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";


function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
}

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN";

describe("cacheFileName", () => {
  const cases: [Parameters<typeof cacheFileName>[0], string, string][] = [
    ["session_token", "dev", ".aws_session_token_dev"],
    ["assume_role", "dev", ".aws_assume_role_dev"],
    ["saml_role", "dev", ".aws_saml_role_dev"],
    ["web_role", "123456789012-Dev", ".aws_web_role_123456789012-Dev"],
    ["session_token", "", ".aws_session_token_"],
    ["assume_role", "team/../../dev", ".aws_assume_role_team_.._.._dev"],
    ["assume_role", "a\\b", ".aws_assume_role_a_b"],
  ];
  for (const [kind, name, want] of cases) {
    it(`${kind} ${JSON.stringify(name)} → ${want}`, () => {
      assert.equal(cacheFileName(kind, name), want);
    });
  }
});

describe("cacheNameForArn", () => {
  const cases: [string, string][] = [
    ["arn:aws:iam::123456789012:role/path/Dev", "123456789012-Dev"],
    ["arn:aws:iam::123456789012:role/Admin", "123456789012-Admin"],
    ["arn:aws-cn:iam::210987654321:role/a/b/c/Reader", "210987654321-Reader"],
    ["arn:aws-us-gov:iam::111122223333:user/alice", "111122223333-alice"],
  ];
  for (const [arn, want] of cases) {
    it(`${arn} → ${want}`, () => {
      assert.equal(cacheNameForArn(arn), want);
    });
  }
  for (const bad of ["", "Dev", "arn:aws:iam:::role/Dev", "arn:aws:iam::123456789012:role/", "foo:aws:iam::1:role/x"]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(
        () => cacheNameForArn(bad),
        (e: unknown) => e instanceof RunasError && e.code === "INVALID_VALUE" && e.message.includes(`"${bad}"`),
      );
    });
  }
});

describe("createCredentialCache", () => {
  it("round-trips key, secret, token and expiration, in upstream's format", async () => {
    const dir = tempDir();
    const cache = createCredentialCache({ dir, logger: memoryLogger() });
    const creds: Credentials = {
      accessKeyId: "ASIAEXAMPLE",
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      expiration: new Date("2024-05-01T13:04:05Z"),
    };
    await cache.write(".aws_assume_role_dev", creds);
    const file = path.join(dir, ".aws_assume_role_dev");
    assert.equal(
      fs.readFileSync(file, "utf8"),
      `{"AccessKeyId":"ASIAEXAMPLE","Expiration":"2024-05-01T13:04:05Z","SecretAccessKey":"${SECRET}","SessionToken":"${TOKEN}"}\n`,
    );
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(cache.read(".aws_assume_role_dev"), creds);
  });

  it("keeps milliseconds, without trailing zeros, as Go's RFC3339Nano does", async () => {
    const dir = tempDir();
    const cache = createCredentialCache({ dir, logger: memoryLogger() });
    const creds = { accessKeyId: "AKIA1", secretAccessKey: "s", expiration: new Date("2024-05-01T13:04:05.120Z") };
    await cache.write("f", creds);
    assert.equal(
      fs.readFileSync(path.join(dir, "f"), "utf8"),
      `{"AccessKeyId":"AKIA1","Expiration":"2024-05-01T13:04:05.12Z","SecretAccessKey":"s","SessionToken":""}\n`,
    );
    assert.deepEqual(cache.read("f"), creds);
  });

  it("writes Go's zero time for credentials without expiration, which reads back as long expired", async () => {
    const dir = tempDir();
    const cache = createCredentialCache({ dir, logger: memoryLogger() });
    await cache.write("f", { accessKeyId: "AKIA1", secretAccessKey: "s" });
    assert.equal(
      fs.readFileSync(path.join(dir, "f"), "utf8"),
      `{"AccessKeyId":"AKIA1","Expiration":"0001-01-01T00:00:00Z","SecretAccessKey":"s","SessionToken":""}\n`,
    );
    const back = cache.read("f");
    assert.equal(back?.expiration?.toISOString(), "0001-01-01T00:00:00.000Z");
  });

  it("creates the cache directory and accepts an absolute path", async () => {
    const dir = path.join(tempDir(), "nested", ".aws");
    const cache = createCredentialCache({ dir: "/nonexistent-unused", logger: memoryLogger() });
    const file = path.join(dir, ".aws_session_token_x");
    await cache.write(file, { accessKeyId: "AKIA1", secretAccessKey: "s", expiration: new Date(86_400_000) });
    assert.deepEqual(cache.read(file), { accessKeyId: "AKIA1", secretAccessKey: "s", expiration: new Date(86_400_000) });
  });

  it("refuses to write credentials without keys", async () => {
    const cache = createCredentialCache({ dir: tempDir(), logger: memoryLogger() });
    for (const creds of [
      { accessKeyId: "", secretAccessKey: "s" },
      { accessKeyId: "AKIA1", secretAccessKey: "" },
    ]) {
      await assert.rejects(cache.write("f", creds), (e: unknown) => e instanceof RunasError && e.code === "CREDENTIALS_INVALID");
    }
  });

  it("turns a write failure into FILE_WRITE", async () => {
    const base = tempDir();
    fs.writeFileSync(path.join(base, "file"), "");
    const cache = createCredentialCache({ dir: path.join(base, "file"), logger: memoryLogger() });
    await assert.rejects(
      cache.write("f", { accessKeyId: "AKIA1", secretAccessKey: "s" }),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "FILE_WRITE" &&
        e.message === `cannot write the credential cache ${path.join(base, "file", "f")} (EEXIST); check that its directory is writable`,
    );
  });

  describe("read accepts", () => {
    const cases: [string, string, Credentials][] = [
      [
        "fractional seconds (nanoseconds)",
        `{"AccessKeyId":"A","Expiration":"2024-05-01T13:04:05.123456789Z","SecretAccessKey":"S","SessionToken":"T"}`,
        { accessKeyId: "A", secretAccessKey: "S", sessionToken: "T", expiration: new Date("2024-05-01T13:04:05.123Z") },
      ],
      [
        "a positive offset",
        `{"AccessKeyId":"A","Expiration":"2024-05-01T15:04:05+02:00","SecretAccessKey":"S","SessionToken":"T"}`,
        { accessKeyId: "A", secretAccessKey: "S", sessionToken: "T", expiration: new Date("2024-05-01T13:04:05Z") },
      ],
      [
        "a negative offset with fraction",
        `{"AccessKeyId":"A","Expiration":"2024-05-01T08:34:05.5-04:30","SecretAccessKey":"S","SessionToken":"T"}`,
        { accessKeyId: "A", secretAccessKey: "S", sessionToken: "T", expiration: new Date("2024-05-01T13:04:05.500Z") },
      ],
      [
        "lower-case t and z",
        `{"AccessKeyId":"A","Expiration":"2024-05-01t13:04:05z","SecretAccessKey":"S"}`,
        { accessKeyId: "A", secretAccessKey: "S", expiration: new Date("2024-05-01T13:04:05Z") },
      ],
      [
        "keys in any case, no token",
        `{"accesskeyid":"A","EXPIRATION":"2024-05-01T13:04:05Z","secretAccessKey":"S","sessiontoken":""}`,
        { accessKeyId: "A", secretAccessKey: "S", expiration: new Date("2024-05-01T13:04:05Z") },
      ],
      [
        "the exact key over another spelling",
        `{"accessKeyId":"wrong","AccessKeyId":"A","Expiration":"2024-05-01T13:04:05Z","SecretAccessKey":"S"}`,
        { accessKeyId: "A", secretAccessKey: "S", expiration: new Date("2024-05-01T13:04:05Z") },
      ],
      [
        "pretty-printed JSON with extra fields and a null token",
        `{\n  "AccessKeyId": "A",\n  "SecretAccessKey": "S",\n  "SessionToken": null,\n  "Expiration": "2030-01-01T00:00:00Z",\n  "Other": 1\n}\n`,
        { accessKeyId: "A", secretAccessKey: "S", expiration: new Date("2030-01-01T00:00:00Z") },
      ],
    ];
    for (const [name, text, want] of cases) {
      it(name, () => {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, "f"), text);
        assert.deepEqual(createCredentialCache({ dir, logger: memoryLogger() }).read("f"), want);
      });
    }
  });

  describe("read gives undefined and one DEBUG line for", () => {
    const cases: [string, string | undefined, string][] = [
      ["a missing file", undefined, "no cached credentials in <f>"],
      ["an empty file", "", "ignoring cached credentials <f>: not valid JSON"],
      ["garbage", "not json", "ignoring cached credentials <f>: not valid JSON"],
      ["a JSON array", "[]", "ignoring cached credentials <f>: not a JSON object"],
      ["JSON null", "null", "ignoring cached credentials <f>: not a JSON object"],
      [
        "a numeric Expiration",
        `{"AccessKeyId":"A","Expiration":0,"SecretAccessKey":"${SECRET}"}`,
        "ignoring cached credentials <f>: Expiration is not a string",
      ],
      [
        "a missing secret",
        `{"AccessKeyId":"A","Expiration":"2030-01-01T00:00:00Z","SessionToken":"${TOKEN}"}`,
        "ignoring cached credentials <f>: no SecretAccessKey",
      ],
      [
        "an empty access key",
        `{"AccessKeyId":"","Expiration":"2030-01-01T00:00:00Z","SecretAccessKey":"${SECRET}"}`,
        "ignoring cached credentials <f>: no AccessKeyId",
      ],
      [
        "a numeric access key",
        `{"AccessKeyId":12,"Expiration":"2030-01-01T00:00:00Z","SecretAccessKey":"${SECRET}"}`,
        "ignoring cached credentials <f>: AccessKeyId is not a string",
      ],
      [
        "no Expiration",
        `{"AccessKeyId":"A","SecretAccessKey":"${SECRET}","SessionToken":"${TOKEN}"}`,
        "ignoring cached credentials <f>: no Expiration",
      ],
      ...[
        "2030-01-01 00:00:00Z",
        "2030-01-01T00:00:00",
        "2030-13-01T00:00:00Z",
        "2030-02-30T00:00:00Z",
        "2030-01-01T24:00:00Z",
        "2030-01-01T00:00:60Z",
        "2030-01-01T00:00:00+24:00",
        "1704067200",
      ].map((exp): [string, string, string] => [
        `Expiration ${exp}`,
        `{"AccessKeyId":"A","Expiration":"${exp}","SecretAccessKey":"${SECRET}"}`,
        "ignoring cached credentials <f>: Expiration is not an RFC 3339 timestamp",
      ]),
    ];
    for (const [name, text, line] of cases) {
      it(name, () => {
        const dir = tempDir();
        const file = path.join(dir, "f");
        if (text !== undefined) fs.writeFileSync(file, text);
        const logger = memoryLogger();
        assert.equal(createCredentialCache({ dir, logger }).read("f"), undefined);
        assert.deepEqual(logger.lines, [`DEBUG ${line.replace("<f>", file)}`]);
      });
    }
  });

  it("read of a directory gives undefined without throwing", () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "d"));
    const logger = memoryLogger();
    assert.equal(createCredentialCache({ dir, logger }).read("d"), undefined);
    assert.deepEqual(logger.lines, [`DEBUG cannot read cached credentials ${path.join(dir, "d")}: EISDIR`]);
  });

  it("never logs the secret or the token", async () => {
    const dir = tempDir();
    const logger = memoryLogger();
    const cache = createCredentialCache({ dir, logger });
    await cache.write("ok", { accessKeyId: "A", secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(0) });
    cache.read("ok");
    fs.writeFileSync(path.join(dir, "bad"), `{"AccessKeyId":"A","SecretAccessKey":"${SECRET}","SessionToken":"${TOKEN}"}`);
    cache.read("bad");
    const all = logger.lines.join("\n");
    assert.equal(all.includes(SECRET), false);
    assert.equal(all.includes(TOKEN), false);
  });

  it("remove deletes the file, and a missing file is fine", async () => {
    const dir = tempDir();
    const cache = createCredentialCache({ dir, logger: memoryLogger() });
    await cache.write("f", { accessKeyId: "A", secretAccessKey: "S", expiration: new Date(0) });
    await cache.remove("f");
    assert.equal(fs.existsSync(path.join(dir, "f")), false);
    await cache.remove("f");
    await cache.remove("never-existed");
  });

  it("remove of something it cannot delete is FILE_WRITE", async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "d"));
    const cache = createCredentialCache({ dir, logger: memoryLogger() });
    await assert.rejects(
      cache.remove("d"),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "FILE_WRITE" &&
        e.message.startsWith(`cannot delete the credential cache ${path.join(dir, "d")} (`),
    );
  });
});
