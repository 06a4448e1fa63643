import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import { configProfileHeader, loadSharedFiles, profileNames, sharedFilePaths } from "./sharedFiles.js";
import type { SharedFilePaths } from "./sharedFiles.js";

const HOME = path.join(path.sep, "home", "u");

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
}

/** Writes the two files (a missing argument leaves that file absent) and returns their paths. */
function writeFiles(config?: string, credentials?: string): SharedFilePaths {
  const dir = tempDir();
  const paths: SharedFilePaths = {
    configPath: path.join(dir, "config"),
    credentialsPath: path.join(dir, "credentials"),
    cacheDir: dir,
  };
  if (config !== undefined) fs.writeFileSync(paths.configPath, config);
  if (credentials !== undefined) fs.writeFileSync(paths.credentialsPath, credentials);
  return paths;
}

describe("sharedFilePaths", () => {
  const cases: [string, Env, SharedFilePaths][] = [
    [
      "defaults to ~/.aws",
      {},
      {
        configPath: path.join(HOME, ".aws", "config"),
        credentialsPath: path.join(HOME, ".aws", "credentials"),
        cacheDir: path.join(HOME, ".aws"),
      },
    ],
    [
      "follows both variables; the cache follows the config file",
      { AWS_CONFIG_FILE: "/etc/aws/cfg", AWS_SHARED_CREDENTIALS_FILE: "/secure/creds" },
      { configPath: "/etc/aws/cfg", credentialsPath: "/secure/creds", cacheDir: "/etc/aws" },
    ],
    [
      "expands a leading ~",
      { AWS_CONFIG_FILE: "~/aws-files/config", AWS_SHARED_CREDENTIALS_FILE: "~/aws-files/credentials" },
      {
        configPath: path.join(HOME, "aws-files", "config"),
        credentialsPath: path.join(HOME, "aws-files", "credentials"),
        cacheDir: path.join(HOME, "aws-files"),
      },
    ],
    [
      "ignores empty variables",
      { AWS_CONFIG_FILE: "", AWS_SHARED_CREDENTIALS_FILE: "" },
      {
        configPath: path.join(HOME, ".aws", "config"),
        credentialsPath: path.join(HOME, ".aws", "credentials"),
        cacheDir: path.join(HOME, ".aws"),
      },
    ],
    [
      "does not expand ~ in the middle of a path",
      { AWS_CONFIG_FILE: "/x/~/config" },
      { configPath: "/x/~/config", credentialsPath: path.join(HOME, ".aws", "credentials"), cacheDir: "/x/~" },
    ],
  ];
  for (const [name, env, expected] of cases) {
    it(name, () => {
      assert.deepEqual(sharedFilePaths(env, HOME), expected);
    });
  }
});

describe("loadSharedFiles", () => {
  it("parses both files", () => {
    const paths = writeFiles("[profile a]\nregion = r\n", "[a]\naws_access_key_id = AKIA\n");
    const files = loadSharedFiles(paths);
    assert.deepEqual(files, {
      paths,
      config: {
        path: paths.configPath,
        sections: [{ header: "profile a", line: 1, entries: [{ key: "region", value: "r", line: 2 }] }],
      },
      credentials: {
        path: paths.credentialsPath,
        sections: [{ header: "a", line: 1, entries: [{ key: "aws_access_key_id", value: "AKIA", line: 2 }] }],
      },
    });
  });

  it("reads missing files as empty documents", () => {
    const paths = writeFiles();
    assert.deepEqual(loadSharedFiles(paths), {
      paths,
      config: { path: paths.configPath, sections: [] },
      credentials: { path: paths.credentialsPath, sections: [] },
    });
  });

  it("reads a path through a regular file as missing", () => {
    const paths = writeFiles("");
    const through = { ...paths, credentialsPath: path.join(paths.configPath, "credentials") };
    assert.deepEqual(loadSharedFiles(through).credentials, { path: through.credentialsPath, sections: [] });
  });

  it("reports a directory in place of a file", () => {
    const paths = writeFiles(undefined, "");
    fs.mkdirSync(paths.configPath);
    assert.throws(() => loadSharedFiles(paths), {
      code: "CONFIG_READ",
      message:
        `cannot read ${paths.configPath}: it is a directory ` +
        "(point AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE at a file)",
    });
  });

  it("passes syntax errors on with the file's path", () => {
    const paths = writeFiles("[a]\n", "[a]\noops\n");
    assert.throws(
      () => loadSharedFiles(paths),
      (e: unknown) =>
        e instanceof RunasError &&
        e.code === "INI_SYNTAX" &&
        e.message ===
          `${paths.credentialsPath}, line 2: expected "key = value" or "[section]", found a line with no "=" in it` +
            " — fix or remove this line",
    );
  });
});

describe("configProfileHeader", () => {
  const cases: [string, ReturnType<typeof configProfileHeader>][] = [
    ["default", { name: "default", prefixed: false }],
    ["profile dev", { name: "dev", prefixed: true }],
    ["profile  dev", { name: "dev", prefixed: true }],
    ['profile "dev"', { name: "dev", prefixed: true }],
    ["dev", { name: "dev", prefixed: false }],
    ["profile default", { name: "default", prefixed: true }],
    ["sso-session corp", undefined],
    ["services local", undefined],
  ];
  for (const [header, expected] of cases) {
    it(`reads [${header}]`, () => {
      assert.deepEqual(configProfileHeader(header), expected);
    });
  }
});

describe("profileNames", () => {
  it("lists every profile of both files, sorted and unique", () => {
    const paths = writeFiles(
      [
        "[default]",
        "[profile b]",
        "[a]",
        "[sso-session corp]",
        "sso_start_url = https://corp.awsapps.com/start",
        "[services local]",
        "[profile b]",
      ].join("\n"),
      "[default]\n[c]\n[a]\n[b-awsrunas]\n",
    );
    assert.deepEqual(profileNames(loadSharedFiles(paths)), ["a", "b", "b-awsrunas", "c", "default"]);
  });

  it("is empty without files", () => {
    assert.deepEqual(profileNames(loadSharedFiles(writeFiles())), []);
  });

  // core.md §12.1 T-CFG-08: the upstream fixture holds 9 profiles.
  it("lists the 9 profiles of the upstream fixture", () => {
    const fixture = fs.readFileSync(new URL("./fixtures/upstream-config.ini", import.meta.url), "utf8");
    const paths = writeFiles(fixture);
    assert.deepEqual(profileNames(loadSharedFiles(paths)), [
      "default",
      "empty_arn",
      "empty_duration",
      "int_duration",
      "invalid_arn",
      "invalid_duration",
      "invalid_src",
      "src",
      "valid",
    ]);
  });
});
