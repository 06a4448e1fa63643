import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { CredentialProvider } from "../domain/credentials.js";
import { keysProfile, profile } from "../../test/fakes/profiles.js";
import { runasFailure } from "../../test/helpers/runasFailure.js";
import { iamUserCredentials } from "./userCredentials.js";

const ROLE = "arn:aws:iam::123456789012:role/R";

/** The SDK factory of a test: records which profile it was asked for. */
function sdk(asked: (string | undefined)[]): (name: string | undefined) => CredentialProvider {
  return (name) => async () => {
    asked.push(name);
    return { accessKeyId: `ASIASDK${name ?? "CHAIN"}`, secretAccessKey: "s", sessionToken: "t" };
  };
}

describe("iamUserCredentials", () => {
  const o = (named = true, env: Record<string, string> = {}, asked: (string | undefined)[] = []) =>
    ({ named, env, sdk: sdk(asked), credentialsPath: "/home/u/.aws/credentials" });

  it("uses an IAM user profile's own keys", async () => {
    const b = iamUserCredentials(keysProfile("alice", { mfaSerial: "arn:aws:iam::123456789012:mfa/alice" }), o());
    assert.deepEqual(await b.provider(), { accessKeyId: "AKIAALICE", secretAccessKey: "longterm" });
    assert.equal(b.describe, "the keys of profile 'alice'");
  });

  it("follows source_profile to the end of a role chain: the user, never a role", async () => {
    const alice = keysProfile("alice");
    const middle = profile("middle", { roleArn: ROLE, sourceProfile: "alice" }, { source: alice });
    const top = profile("top", { roleArn: `${ROLE}2`, sourceProfile: "middle", mfaSerial: "arn:aws:iam::1:mfa/x" }, { source: middle });
    assert.equal((await iamUserCredentials(top, o()).provider()).accessKeyId, "AKIAALICE");
  });

  it("stops on a source_profile loop", async () => {
    const a = profile("a", { roleArn: ROLE });
    const b = profile("b", { roleArn: ROLE }, { source: a });
    a.source = b;
    const failure = await runasFailure((async () => iamUserCredentials(a, o()))());
    assert.deepEqual(failure, { code: "SOURCE_PROFILE_CYCLE", message: "source_profile chain loops: a -> b -> a" });
  });

  it("with no profile named: the environment's keys, then [default]'s, then the SDK's default chain", async () => {
    const bare = profile("default", { region: "us-east-1" });
    const env = { AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "envsecret" };
    assert.equal((await iamUserCredentials(bare, o(false, env)).provider()).accessKeyId, "AKIAENV");
    assert.equal((await iamUserCredentials(keysProfile("default"), o(false)).provider()).accessKeyId, "AKIADEFAULT");
    const asked: (string | undefined)[] = [];
    assert.equal((await iamUserCredentials(bare, o(false, {}, asked)).provider()).accessKeyId, "ASIASDKCHAIN");
    assert.deepEqual(asked, [undefined]);
  });

  it("ignores the environment's keys when a profile is named, as the credential flows do", async () => {
    const env = { AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "envsecret" };
    assert.equal((await iamUserCredentials(keysProfile("alice"), o(true, env)).provider()).accessKeyId, "AKIAALICE");
  });

  it("lets the SDK resolve credential_process and SSO sources", async () => {
    const asked: (string | undefined)[] = [];
    const proc = profile("proc", { credentialProcess: "/bin/get-creds" });
    const top = profile("top", { roleArn: ROLE, sourceProfile: "proc" }, { source: proc });
    assert.equal((await iamUserCredentials(top, o(true, {}, asked)).provider()).accessKeyId, "ASIASDKproc");
    assert.deepEqual(asked, ["proc"]);
  });

  it("says how to fix a profile with no keys", async () => {
    const failure = await runasFailure((async () => iamUserCredentials(profile("nokeys", { roleArn: ROLE }), o()))());
    assert.equal(failure.code, "NO_CREDENTIALS");
    assert.match(failure.message, /^profile 'nokeys' has no credentials: add aws_access_key_id and aws_secret_access_key to \[nokeys\] in \/home\/u\/\.aws\/credentials/);
  });
});
