import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Env } from "../ports.js";
import { looksLikeArn, selectDefaultProfile, selectSubcommandProfile } from "./profileArg.js";
import type { ProfileSelection } from "./profileArg.js";

describe("selectDefaultProfile (core.md §1.4 A, T-CLI-05)", () => {
  const cases: [string, string[], Env, ProfileSelection][] = [
    ["no arguments, no env", [], {}, { profile: "", fromEnv: true, command: [] }],
    ["profile only", ["p"], {}, { profile: "p", fromEnv: false, command: [] }],
    ["profile and command", ["p", "aws", "s3", "ls"], {},
      { profile: "p", fromEnv: false, command: ["aws", "s3", "ls"] }],
    ["the first word is the profile even when it is a program", ["aws", "s3", "ls"], {},
      { profile: "aws", fromEnv: false, command: ["s3", "ls"] }],
    ["`--` after the profile is dropped (Q-01)", ["p", "--", "aws", "s3", "ls"], {},
      { profile: "p", fromEnv: false, command: ["aws", "s3", "ls"] }],
    ["only one `--` is dropped", ["p", "--", "--", "x"], {}, { profile: "p", fromEnv: false, command: ["--", "x"] }],
    ["a `--` later in the command stays", ["p", "cmd", "--", "x"], {},
      { profile: "p", fromEnv: false, command: ["cmd", "--", "x"] }],
    ["empty env values are not set", ["p", "cmd"], { AWS_PROFILE: "", AWS_DEFAULT_PROFILE: "" },
      { profile: "p", fromEnv: false, command: ["cmd"] }],
    ["AWS_PROFILE: every word is the command", ["aws", "s3", "ls"], { AWS_PROFILE: "e" },
      { profile: "e", fromEnv: true, command: ["aws", "s3", "ls"] }],
    ["AWS_PROFILE and no arguments", [], { AWS_PROFILE: "e" }, { profile: "e", fromEnv: true, command: [] }],
    ["AWS_PROFILE beats AWS_DEFAULT_PROFILE", ["true"], { AWS_PROFILE: "e", AWS_DEFAULT_PROFILE: "d" },
      { profile: "e", fromEnv: true, command: ["true"] }],
    ["AWS_DEFAULT_PROFILE when AWS_PROFILE is empty", ["true"], { AWS_PROFILE: "", AWS_DEFAULT_PROFILE: "d" },
      { profile: "d", fromEnv: true, command: ["true"] }],
    ["a first word equal to the env profile is dropped, as upstream", ["e", "--", "true"], { AWS_PROFILE: "e" },
      { profile: "e", fromEnv: true, command: ["true"] }],
    ["another first word stays part of the command", ["p", "true"], { AWS_PROFILE: "e" },
      { profile: "e", fromEnv: true, command: ["p", "true"] }],
    ["an ARN works like a name", ["arn:aws:iam::123456789012:role/r", "true"], {},
      { profile: "arn:aws:iam::123456789012:role/r", fromEnv: false, command: ["true"] }],
  ];
  for (const [name, positionals, env, want] of cases) {
    it(name, () => {
      assert.deepEqual(selectDefaultProfile(positionals, env), want);
    });
  }
});

describe("selectSubcommandProfile (core.md §1.4 B)", () => {
  const cases: [string, string[], Env, number, { profile: string; fromEnv: boolean; rest: string[] }][] = [
    ["list with a profile", ["p"], { AWS_PROFILE: "e" }, 1, { profile: "p", fromEnv: false, rest: [] }],
    ["list without one takes AWS_PROFILE", [], { AWS_PROFILE: "e" }, 1, { profile: "e", fromEnv: true, rest: [] }],
    ["list without anything", [], {}, 1, { profile: "", fromEnv: true, rest: [] }],
    ["diagnose with AWS_DEFAULT_PROFILE", [], { AWS_DEFAULT_PROFILE: "d" }, 1,
      { profile: "d", fromEnv: true, rest: [] }],
    ["ssm with profile and target", ["p", "i-123"], { AWS_PROFILE: "e" }, 2,
      { profile: "p", fromEnv: false, rest: ["i-123"] }],
    ["ssm with a target only takes AWS_PROFILE", ["i-123"], { AWS_PROFILE: "e" }, 2,
      { profile: "e", fromEnv: true, rest: ["i-123"] }],
    ["ssm with a target only and no env", ["i-123"], {}, 2, { profile: "", fromEnv: true, rest: ["i-123"] }],
    ["ssm skips a first word equal to the env profile", ["e"], { AWS_PROFILE: "e" }, 2,
      { profile: "e", fromEnv: true, rest: [] }],
    ["serve with a profile", ["p"], { AWS_PROFILE: "e" }, 0, { profile: "p", fromEnv: false, rest: [] }],
    ["serve without one", [], { AWS_PROFILE: "e" }, 0, { profile: "e", fromEnv: true, rest: [] }],
    ["ecr login: the first word is always the profile (Q-03)", ["123456789012"], { AWS_PROFILE: "e" }, 1,
      { profile: "123456789012", fromEnv: false, rest: [] }],
    ["ecr login with endpoints", ["p", "1.dkr.ecr.us-east-1.amazonaws.com", "2"], {}, 1,
      { profile: "p", fromEnv: false, rest: ["1.dkr.ecr.us-east-1.amazonaws.com", "2"] }],
  ];
  for (const [name, positionals, env, expected, want] of cases) {
    it(name, () => {
      assert.deepEqual(selectSubcommandProfile(positionals, env, expected), want);
    });
  }
});

describe("looksLikeArn (core.md §1.5)", () => {
  const cases: [string, boolean][] = [
    ["arn:aws:iam::123456789012:role/my_role", true],
    ["arn:aws:iam::0123456789:role/my_role", true],
    ["arn:aws-us-gov:iam::123456789012:role/path/r", true],
    ["arn:aws:iam::123456789012", false],
    ["arn:aws:iam:123456789012:role/r", false],
    ["ARN:aws:iam::123456789012:role/r", false],
    ["my-profile", false],
    ["", false],
  ];
  for (const [name, want] of cases) {
    it(`${JSON.stringify(name)} → ${String(want)}`, () => {
      assert.equal(looksLikeArn(name), want);
    });
  }
});
