import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import { isoUtcSeconds, toEnvVars } from "./envVars.js";

const keys: Credentials = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/key+1" };
const full: Credentials = { ...keys, sessionToken: "token==", expiration: new Date("2024-05-01T13:04:05.678Z") };

describe("toEnvVars", () => {
  type Case = { name: string; creds: Credentials; ctx: { region?: string; profile?: string }; want: [string, string][] };
  const cases: Case[] = [
    {
      name: "long-term keys only",
      creds: keys,
      ctx: {},
      want: [
        ["AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"],
        ["AWS_SECRET_ACCESS_KEY", "secret/key+1"],
      ],
    },
    {
      name: "everything, in the fixed order (T-CLI-01, T-CLI-02)",
      creds: full,
      ctx: { region: "eu-west-1", profile: "my-profile" },
      want: [
        ["AWS_REGION", "eu-west-1"],
        ["AWS_DEFAULT_REGION", "eu-west-1"],
        ["AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"],
        ["AWS_SECRET_ACCESS_KEY", "secret/key+1"],
        ["AWS_SESSION_TOKEN", "token=="],
        ["AWS_SECURITY_TOKEN", "token=="],
        ["AWS_CREDENTIAL_EXPIRATION", "2024-05-01T13:04:05Z"],
        ["AWSRUNAS_PROFILE", "my-profile"],
      ],
    },
    {
      name: "empty region, token and profile count as absent",
      creds: { ...keys, sessionToken: "" },
      ctx: { region: "", profile: "" },
      want: [
        ["AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"],
        ["AWS_SECRET_ACCESS_KEY", "secret/key+1"],
      ],
    },
    {
      name: "region without token",
      creds: keys,
      ctx: { region: "us-east-1" },
      want: [
        ["AWS_REGION", "us-east-1"],
        ["AWS_DEFAULT_REGION", "us-east-1"],
        ["AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"],
        ["AWS_SECRET_ACCESS_KEY", "secret/key+1"],
      ],
    },
    {
      name: "token and expiration without region, profile last",
      creds: { ...full },
      ctx: { profile: "arn:aws:iam::123456789012:role/x" },
      want: [
        ["AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"],
        ["AWS_SECRET_ACCESS_KEY", "secret/key+1"],
        ["AWS_SESSION_TOKEN", "token=="],
        ["AWS_SECURITY_TOKEN", "token=="],
        ["AWS_CREDENTIAL_EXPIRATION", "2024-05-01T13:04:05Z"],
        ["AWSRUNAS_PROFILE", "arn:aws:iam::123456789012:role/x"],
      ],
    },
    {
      name: "expiration without token",
      creds: { ...keys, expiration: new Date("2030-01-02T03:04:05Z") },
      ctx: {},
      want: [
        ["AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"],
        ["AWS_SECRET_ACCESS_KEY", "secret/key+1"],
        ["AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z"],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(toEnvVars(c.creds, c.ctx), c.want);
    });
  }
});

describe("isoUtcSeconds", () => {
  const cases: [string, Date, string][] = [
    ["cuts milliseconds without rounding up", new Date("2024-05-01T13:04:05.999Z"), "2024-05-01T13:04:05Z"],
    ["whole seconds", new Date("2024-12-31T23:59:59Z"), "2024-12-31T23:59:59Z"],
    ["the epoch", new Date(0), "1970-01-01T00:00:00Z"],
  ];
  for (const [name, date, want] of cases) {
    it(name, () => assert.equal(isoUtcSeconds(date), want));
  }

  it("rejects an invalid date with a RunasError", () => {
    assert.throws(
      () => isoUtcSeconds(new Date(Number.NaN)),
      (e: unknown) => e instanceof RunasError && e.code === "INVALID_VALUE" && /run again with -r/.test(e.message),
    );
  });
});
