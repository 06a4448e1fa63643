import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Env } from "../ports.js";
import { childEnv } from "./childEnv.js";

const PARENT: Env = {
  HOME: "/home/u",
  PATH: "/usr/bin:/bin",
  AWS_PROFILE: "dev",
  AWS_DEFAULT_PROFILE: "dev",
  AWS_ACCESS_KEY_ID: "AKIAOLD",
  AWS_ACCESS_KEY: "AKIAOLD2",
  AWS_SECRET_ACCESS_KEY: "old-secret",
  AWS_SECRET_KEY: "old-secret2",
  AWS_SESSION_TOKEN: "old-token",
  AWS_SECURITY_TOKEN: "old-token",
  AWS_CREDENTIAL_EXPIRATION: "2020-01-01T00:00:00Z",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x",
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: "/var/run/token",
  AWS_REGION: "eu-west-1",
  UNSET: undefined,
};

describe("childEnv", () => {
  it("env mode: drops the profile and stale credentials, then sets the given variables", () => {
    const vars = [
      ["AWS_REGION", "us-east-2"],
      ["AWS_DEFAULT_REGION", "us-east-2"],
      ["AWS_ACCESS_KEY_ID", "ASIANEW"],
      ["AWS_SECRET_ACCESS_KEY", "new-secret"],
      ["AWS_SESSION_TOKEN", "new-token"],
      ["AWS_SECURITY_TOKEN", "new-token"],
      ["AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"],
      ["AWSRUNAS_PROFILE", "dev"],
    ] as const;
    assert.deepEqual(childEnv(PARENT, { mode: "env", vars }, "/dev/null"), {
      HOME: "/home/u",
      PATH: "/usr/bin:/bin",
      AWS_ACCESS_KEY: "AKIAOLD2",
      AWS_SECRET_KEY: "old-secret2",
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x",
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: "/var/run/token",
      AWS_REGION: "us-east-2",
      AWS_DEFAULT_REGION: "us-east-2",
      AWS_ACCESS_KEY_ID: "ASIANEW",
      AWS_SECRET_ACCESS_KEY: "new-secret",
      AWS_SESSION_TOKEN: "new-token",
      AWS_SECURITY_TOKEN: "new-token",
      AWS_CREDENTIAL_EXPIRATION: "2030-01-01T00:00:00Z",
      AWSRUNAS_PROFILE: "dev",
    });
  });

  it("env mode without a token leaves no stale token behind", () => {
    const vars = [
      ["AWS_ACCESS_KEY_ID", "AKIALONG"],
      ["AWS_SECRET_ACCESS_KEY", "long-secret"],
    ] as const;
    assert.deepEqual(childEnv({ PATH: "/bin", AWS_SESSION_TOKEN: "t", AWS_SECURITY_TOKEN: "t" }, { mode: "env", vars }, "/dev/null"), {
      PATH: "/bin",
      AWS_ACCESS_KEY_ID: "AKIALONG",
      AWS_SECRET_ACCESS_KEY: "long-secret",
    });
  });

  it("endpoint mode (T-CLI-03): no file or env credentials, the endpoint and its token, region and profile", () => {
    const env = childEnv(
      PARENT,
      { mode: "endpoint", url: "http://127.0.0.1:4321/credentials", authToken: "tok", region: "us-west-2", profile: "dev" },
      "/dev/null",
    );
    assert.deepEqual(env, {
      HOME: "/home/u",
      PATH: "/usr/bin:/bin",
      AWS_REGION: "us-west-2",
      AWS_DEFAULT_REGION: "us-west-2",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_CREDENTIAL_PROFILES_FILE: "/dev/null",
      AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:4321/credentials",
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "tok",
      AWSRUNAS_PROFILE: "dev",
    });
  });

  it("endpoint mode without region or profile keeps the parent's region and sets no profile", () => {
    const env = childEnv(
      { AWS_REGION: "eu-west-1", AWS_PROFILE: "p", AWS_SHARED_CREDENTIALS_FILE: "/home/u/.aws/credentials" },
      { mode: "endpoint", url: "http://127.0.0.1:1/credentials", authToken: "tok", profile: "" },
      "NUL",
    );
    assert.deepEqual(env, {
      AWS_REGION: "eu-west-1",
      AWS_SHARED_CREDENTIALS_FILE: "NUL",
      AWS_CREDENTIAL_PROFILES_FILE: "NUL",
      AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:1/credentials",
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "tok",
    });
  });

  it("never mutates the parent", () => {
    const parent = { ...PARENT };
    childEnv(parent, { mode: "endpoint", url: "http://127.0.0.1:1/credentials", authToken: "t", region: "r" }, "/dev/null");
    childEnv(parent, { mode: "env", vars: [["AWS_ACCESS_KEY_ID", "X"]] }, "/dev/null");
    assert.deepEqual(parent, PARENT);
  });
});
