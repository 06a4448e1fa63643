import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import type { Env } from "../ports.js";
import { DEFAULT_REGISTRY, npmRegistry, npmrcValue } from "./npmRegistry.js";
import type { NpmSettingsSources } from "./npmRegistry.js";

const HOME = path.resolve("/home/u");
const PREFIX = path.resolve("/opt/node");

function sources(env: Env, files: Record<string, string>): NpmSettingsSources {
  return { env, homeDir: HOME, defaultGlobalPrefix: PREFIX, readFile: (p) => files[p] };
}

describe("npmRegistry", () => {
  const userRc = path.join(HOME, ".npmrc");
  const globalRc = path.join(PREFIX, "etc", "npmrc");

  it("takes npm_config_registry first, in any case, the exact lower-case name winning", () => {
    const files = { [userRc]: "registry=https://user.example/\n" };
    assert.deepEqual(npmRegistry(sources({ npm_config_registry: "https://env.example/" }, files)),
      { url: "https://env.example/", source: "npm_config_registry" });
    assert.deepEqual(npmRegistry(sources({ NPM_CONFIG_REGISTRY: "https://upper.example/" }, files)),
      { url: "https://upper.example/", source: "NPM_CONFIG_REGISTRY" });
    assert.equal(npmRegistry(sources({ NPM_CONFIG_REGISTRY: "https://u/", npm_config_registry: "https://l/" }, files)).url,
      "https://l/");
  });

  it("ignores an empty variable and falls back to ~/.npmrc, then the global npmrc, then registry.npmjs.org", () => {
    const both = { [userRc]: "registry = https://user.example/\n", [globalRc]: "registry=https://global.example/\n" };
    assert.deepEqual(npmRegistry(sources({ npm_config_registry: "" }, both)),
      { url: "https://user.example/", source: userRc });
    assert.deepEqual(npmRegistry(sources({}, { [globalRc]: "registry=https://global.example/\n" })),
      { url: "https://global.example/", source: globalRc });
    assert.deepEqual(npmRegistry(sources({}, {})), { url: DEFAULT_REGISTRY, source: "npm's default" });
  });

  it("reads the user file NPM_CONFIG_USERCONFIG names (~ expanded) instead of ~/.npmrc", () => {
    const other = path.join(HOME, "cfg", "npmrc");
    const files = { [userRc]: "registry=https://home.example/\n", [other]: "registry=https://other.example/\n" };
    assert.equal(npmRegistry(sources({ NPM_CONFIG_USERCONFIG: "~/cfg/npmrc" }, files)).url, "https://other.example/");
  });

  it("finds the global file through npm_config_globalconfig, npm_config_prefix or PREFIX", () => {
    const viaConfig = path.resolve("/etc/custom-npmrc");
    const viaPrefix = path.join(path.resolve("/usr/local"), "etc", "npmrc");
    const files = { [viaConfig]: "registry=https://a.example/\n", [viaPrefix]: "registry=https://b.example/\n" };
    assert.equal(npmRegistry(sources({ npm_config_globalconfig: viaConfig }, files)).url, "https://a.example/");
    assert.equal(npmRegistry(sources({ npm_config_prefix: path.resolve("/usr/local") }, files)).url, "https://b.example/");
    assert.equal(npmRegistry(sources({ PREFIX: path.resolve("/usr/local") }, files)).url, "https://b.example/");
  });
});

describe("npmrcValue", () => {
  it("reads top-level keys as npm's ini parser does", () => {
    const text = [
      "; a comment",
      "# another",
      "registry=https://first.example/",
      "//first.example/:_authToken=${TOKEN}",
      "registry = \"https://quoted.example/\" ",
      "[section]",
      "registry=https://in-a-section.example/",
    ].join("\n");
    assert.equal(npmrcValue(text, "registry", {}), "https://quoted.example/");
    assert.equal(npmrcValue("registry=https://r.example/ ; why\r\n", "registry", {}), "https://r.example/");
    assert.equal(npmrcValue("registry=https://r.example/#frag\n", "registry", {}), "https://r.example/");
    assert.equal(npmrcValue("registry=https://r.example/\\#x\n", "registry", {}), "https://r.example/#x");
    assert.equal(npmrcValue("@scope:registry=https://scoped.example/\n", "registry", {}), undefined);
  });

  it("replaces ${VAR} and ${VAR?} from the environment as npm does", () => {
    assert.equal(npmrcValue("registry=https://${HOST}/npm/\n", "registry", { HOST: "h.example" }), "https://h.example/npm/");
    assert.equal(npmrcValue("registry=https://${HOST}/\n", "registry", {}), "https://${HOST}/");
    assert.equal(npmrcValue("registry=https://r.example/${SUFFIX?}\n", "registry", {}), "https://r.example/");
  });
});
