import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIni } from "../config/ini.js";
import { resolveProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import type { Env } from "../ports.js";
import { regionFindings } from "./regionCheck.js";

function files(config: string): SharedFiles {
  const paths = { configPath: "/h/.aws/config", credentialsPath: "/h/.aws/credentials", cacheDir: "/h/.aws" };
  return { paths, config: parseIni(config, paths.configPath), credentials: parseIni("", paths.credentialsPath) };
}
const check = (config: string, env: Env = {}) => regionFindings(resolveProfile("p", files(config), env, {}));

describe("regionFindings (core.md §8 step 3)", () => {
  it("is an ERROR when no region is set anywhere", () => {
    const f = check("[profile p]\nrole_arn = arn:aws:iam::1:role/r\n");
    assert.equal(f.length, 1);
    assert.equal(f[0]?.level, "ERROR");
    assert.match(f[0]?.message ?? "", /^region is not set, it must be specified in the config file or as an environment variable/);
  });

  it("says where the region was read: the profile, [default], or a variable", () => {
    assert.deepEqual(check("[default]\nregion = eu-west-1\n[profile p]\n"), [{
      level: "INFO",
      message: "region is configured in profile or environment variable (eu-west-1, read from region in [default] of /h/.aws/config, line 2)",
    }]);
    assert.deepEqual(check("[profile p]\nregion = eu-west-1\n", { AWS_DEFAULT_REGION: "ap-south-1" }), [{
      level: "INFO",
      message: "region is configured in profile or environment variable (ap-south-1, read from the environment variable AWS_DEFAULT_REGION)",
    }]);
  });
});
