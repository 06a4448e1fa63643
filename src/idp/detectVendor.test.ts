import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { isRunasError } from "../domain/errors.js";
import { detectVendor } from "./detectVendor.js";
import type { VendorName } from "./types.js";

const SAML_CHOICES = "okta, onelogin, keycloak, forgerock, azuread, browser, browserne (or browserNewExperience), mock";
const WEB_CHOICES = "okta, onelogin, keycloak, forgerock, azuread, oidc, mock";

/** A fetch that must not be called: host rules and forced names decide without I/O. */
const noFetch: typeof globalThis.fetch = async (input) => {
  throw new Error(`unexpected request to ${String(input)}`);
};

/** The code and message of the RunasError a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isRunasError(e), `not a RunasError: ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  assert.fail("expected a rejection");
}

/** A fake identity provider: each path answers the way one vendor does (idp.md §2.1, §15 cases 3–4). */
function fakeIdp(requests: string[]): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    requests.push(`${req.method ?? ""} ${path ?? ""}`);
    switch (path) {
      case "/okta":
        res.writeHead(200, { "x-okta-request-id": "XyZ123" }).end();
        return;
      case "/ms":
        res.writeHead(200, { "x-ms-request-id": "5b1d" }).end();
        return;
      case "/forgerock":
        // Every other signal too: ForgeRock's header is checked first.
        res.writeHead(200, {
          "Access-Control-Allow-Headers": "X-OpenAM-Username,X-OpenAM-Password",
          "x-okta-request-id": "XyZ123",
          "x-ms-request-id": "5b1d",
          "Set-Cookie": "KC_RESTART=abc",
        });
        res.end();
        return;
      case "/forgerock-mfa":
        res.writeHead(401, { "Access-Control-Allow-Headers": "Content-Type, mfa-fr-token" }).end();
        return;
      case "/keycloak":
        res.writeHead(200, { "Set-Cookie": ["AUTH_SESSION_ID=1; Path=/", "KC_RESTART=eyJ; Path=/realms/x; HttpOnly"] });
        res.end();
        return;
      case "/keycloak-lower":
        res.writeHead(200, { "Set-Cookie": "kc_restart=eyJ" }).end();
        return;
      case "/onelogin":
        res.writeHead(200, { "Set-Cookie": "sub_session_onelogin.com=s1; Path=/" }).end();
        return;
      case "/nothing":
        res.writeHead(404, { "Set-Cookie": "JSESSIONID=1" }).end();
        return;
      case "/hop-to-keycloak":
        // A cookie on the intermediate hop is not looked at: only the final answer counts.
        res.writeHead(302, { Location: "/keycloak", "Set-Cookie": "sub_session_onelogin.com=s1" }).end();
        return;
      case "/hop-to-nothing":
        res.writeHead(302, { Location: "/nothing?next=abc", "Set-Cookie": "sub_session_onelogin.com=s1" }).end();
        return;
      case "/slow-head":
        // A WAF that drops HEAD: no answer at all; GET answers.
        if (req.method === "HEAD") return;
        res.writeHead(200, { "x-okta-request-id": "XyZ123" }).end("<html></html>");
        return;
      case "/silent":
        return;
      default:
        res.writeHead(500).end();
    }
  });
}

describe("detectVendor: forced provider", () => {
  const cases: [forced: string, kind: "saml" | "web", want: VendorName][] = [
    ["OKTA", "saml", "okta"],
    ["Okta", "web", "okta"],
    ["onelogin", "web", "onelogin"],
    ["KeyCloak", "saml", "keycloak"],
    ["ForgeRock", "web", "forgerock"],
    ["AzureAD", "saml", "azuread"],
    ["browser", "saml", "browser"],
    ["browserne", "saml", "browserne"],
    ["browserNewExperience", "saml", "browserne"],
    ["BROWSERNEWEXPERIENCE", "saml", "browserne"],
    ["mock", "saml", "mock"],
    ["mock", "web", "mock"],
    ["oidc", "web", "oidc"],
    [" okta ", "saml", "okta"],
  ];
  for (const [forced, kind, want] of cases) {
    it(`${kind} "${forced}" → ${want}, with no request`, async () => {
      const logger = memoryLogger();
      const got = await detectVendor("https://idp.example.com/sso?token=s3cret", { forced, kind, fetch: noFetch, logger });
      assert.equal(got, want);
      const key = kind === "saml" ? "saml_provider" : "web_identity_provider";
      assert.deepEqual(logger.lines, [`DEBUG identity provider: ${want} (set by ${key})`]);
    });
  }

  const unknown: [forced: string, kind: "saml" | "web", message: string][] = [
    [
      "nosuch",
      "saml",
      `"nosuch" is not a known SAML provider; set saml_provider to one of ${SAML_CHOICES}, or remove it to detect ` +
        "the provider from the URL",
    ],
    [
      "browser",
      "web",
      `"browser" is not a known OIDC provider; set web_identity_provider to one of ${WEB_CHOICES}, or remove it to ` +
        "detect the provider from the URL",
    ],
    [
      "oidc",
      "saml",
      `"oidc" is not a known SAML provider; set saml_provider to one of ${SAML_CHOICES}, or remove it to detect ` +
        "the provider from the URL",
    ],
  ];
  for (const [forced, kind, message] of unknown) {
    it(`${kind} "${forced}" is an unknown-provider error`, async () => {
      const got = await failure(
        detectVendor("https://idp.example.com/", { forced, kind, fetch: noFetch, logger: memoryLogger() }),
      );
      assert.deepEqual(got, { code: "IDP_UNKNOWN", message });
    });
  }

  it("an empty forced name means: detect", async () => {
    const got = await detectVendor("https://x.okta.com/", { forced: "", kind: "saml", fetch: noFetch, logger: memoryLogger() });
    assert.equal(got, "okta");
  });

  it("a forced name still needs an http(s) URL", async () => {
    const got = await failure(
      detectVendor("telnet://x.okta.com", { forced: "okta", kind: "web", fetch: noFetch, logger: memoryLogger() }),
    );
    assert.deepEqual(got, {
      code: "INVALID_CONFIG",
      message: "invalid client URL: web_identity_auth_url starts with telnet:, but must be an http:// or https:// URL",
    });
  });
});

describe("detectVendor: URLs that are not http(s)", () => {
  const cases: [url: string, message: string][] = [
    ["ftp://idp.example.com/x", "invalid client URL: saml_auth_url starts with ftp:, but must be an http:// or https:// URL"],
    ["telnet://x.okta.com", "invalid client URL: saml_auth_url starts with telnet:, but must be an http:// or https:// URL"],
    ["gopher://idp", "invalid client URL: saml_auth_url starts with gopher:, but must be an http:// or https:// URL"],
    ["idp.example.com/sso?token=s3cret", "invalid client URL: saml_auth_url is not a URL; write it as https://…"],
  ];
  for (const [url, message] of cases) {
    it(url, async () => {
      const got = await failure(detectVendor(url, { kind: "saml", fetch: noFetch, logger: memoryLogger() }));
      assert.deepEqual(got, { code: "INVALID_CONFIG", message });
    });
  }
});

describe("detectVendor: host rules, no request", () => {
  const cases: [url: string, want: VendorName][] = [
    ["https://example.okta.com/home/amazon_aws/0oa/272", "okta"],
    ["https://EXAMPLE.OKTA.COM/oauth2", "okta"],
    ["https://example.onelogin.com/oidc/2?token=bW9jaw", "onelogin"],
    ["https://myapps.microsoft.com/signin/aws/abc?tenantId=t", "azuread"],
    ["https://login.microsoftonline.com/0000-1111/oauth2/v2.0", "azuread"],
    ["http://127.0.0.1:18080/mock/saml", "mock"],
    ["http://localhost/mock", "mock"],
    ["http://[::1]:9999/mock/oidc", "mock"],
  ];
  for (const [url, want] of cases) {
    it(`${url} → ${want}`, async () => {
      const logger = memoryLogger();
      assert.equal(await detectVendor(url, { kind: "saml", fetch: noFetch, logger }), want);
      assert.deepEqual(logger.lines, [`DEBUG identity provider: ${want} (from the host of ${new URL(url).origin})`]);
    });
  }

  const probed = ["http://localhost/other", "http://127.0.0.1:8080/saml/mock", "https://okta.com.example.net/x"];
  for (const url of probed) {
    it(`${url} is probed`, async () => {
      const seen: string[] = [];
      const fetch: typeof globalThis.fetch = async (input, init) => {
        seen.push(`${init?.method ?? ""} ${String(input)}`);
        return new Response(null, { status: 200, headers: { "x-okta-request-id": "1" } });
      };
      assert.equal(await detectVendor(url, { kind: "web", fetch, logger: memoryLogger() }), "okta");
      assert.deepEqual(seen, [`HEAD ${new URL(url).href}`]);
    });
  }
});

describe("detectVendor: probing a real server", () => {
  const requests: string[] = [];
  const server = fakeIdp(requests);
  let base = "";

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const found: [path: string, want: VendorName, kind: "saml" | "web"][] = [
    ["/okta", "okta", "saml"],
    ["/ms", "azuread", "web"],
    ["/forgerock", "forgerock", "saml"],
    ["/forgerock-mfa", "forgerock", "web"],
    ["/keycloak", "keycloak", "saml"],
    ["/keycloak-lower", "keycloak", "web"],
    ["/onelogin", "onelogin", "saml"],
  ];
  for (const [path, want, kind] of found) {
    it(`${path} → ${want} with one HEAD`, async () => {
      requests.length = 0;
      assert.equal(await detectVendor(`${base}${path}`, { kind, fetch: globalThis.fetch, logger: memoryLogger() }), want);
      assert.deepEqual(requests, [`HEAD ${path}`]);
    });
  }

  it("follows redirects and reads only the final answer", async () => {
    requests.length = 0;
    const got = await detectVendor(`${base}/hop-to-keycloak`, { kind: "saml", fetch: globalThis.fetch, logger: memoryLogger() });
    assert.equal(got, "keycloak");
    assert.deepEqual(requests, ["HEAD /hop-to-keycloak", "HEAD /keycloak"]);
  });

  it("a 404 with nothing identifying is an error saying what the probe saw, never the query", async () => {
    requests.length = 0;
    const logger = memoryLogger();
    const got = await failure(
      detectVendor(`${base}/nothing?token=s3cret`, { kind: "saml", fetch: globalThis.fetch, logger }),
    );
    assert.deepEqual(got, {
      code: "IDP_UNKNOWN",
      message:
        `could not tell which identity provider ${base} is (probe saw: HTTP 404, no identifying headers or cookies); ` +
        `set saml_provider to one of ${SAML_CHOICES}`,
    });
    assert.deepEqual(requests, ["HEAD /nothing"]);
    assert.deepEqual(logger.lines, [`DEBUG detecting the identity provider: HEAD ${base}/nothing`]);
  });

  it("after redirects, the error names where the probe ended", async () => {
    const got = await failure(detectVendor(`${base}/hop-to-nothing`, { kind: "web", fetch: globalThis.fetch, logger: memoryLogger() }));
    assert.deepEqual(got, {
      code: "IDP_UNKNOWN",
      message:
        `could not tell which identity provider ${base} is (probe saw: HTTP 404 after redirects to ${base}/nothing, ` +
        `no identifying headers or cookies); set web_identity_provider to one of ${WEB_CHOICES}`,
    });
  });

  it("a HEAD without an answer within the timeout is retried once as GET", async () => {
    requests.length = 0;
    const logger = memoryLogger();
    const got = await detectVendor(`${base}/slow-head`, { kind: "saml", fetch: globalThis.fetch, timeoutMs: 200, logger });
    assert.equal(got, "okta");
    assert.deepEqual(requests, ["HEAD /slow-head", "GET /slow-head"]);
    assert.deepEqual(logger.lines, [
      `DEBUG detecting the identity provider: HEAD ${base}/slow-head`,
      `DEBUG detecting the identity provider: no answer to HEAD ${base}/slow-head within 0.2 s`,
      `DEBUG detecting the identity provider: GET ${base}/slow-head`,
      `DEBUG identity provider: okta (from the answer of ${base})`,
    ]);
  });

  it("no answer to HEAD nor GET is an error, after exactly one retry", async () => {
    requests.length = 0;
    const got = await failure(
      detectVendor(`${base}/silent`, { kind: "saml", fetch: globalThis.fetch, timeoutMs: 150, logger: memoryLogger() }),
    );
    assert.deepEqual(got, {
      code: "IDP_UNKNOWN",
      message:
        `could not tell which identity provider ${base} is (probe saw: no answer to HEAD or GET within 0.15 s); ` +
        `set saml_provider to one of ${SAML_CHOICES}`,
    });
    assert.deepEqual(requests, ["HEAD /silent", "GET /silent"]);
  });
});

describe("detectVendor: connection refused", () => {
  it("is an error naming the network failure, with no retry", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const calls: string[] = [];
    const counting: typeof globalThis.fetch = (input, init) => {
      calls.push(init?.method ?? "");
      return globalThis.fetch(input, init);
    };
    const got = await failure(
      detectVendor(`http://127.0.0.1:${port}/sso?token=s3cret`, { kind: "saml", fetch: counting, logger: memoryLogger() }),
    );
    assert.deepEqual(got, {
      code: "IDP_UNKNOWN",
      message:
        `could not tell which identity provider http://127.0.0.1:${port} is (probe saw: connect ECONNREFUSED ` +
        `127.0.0.1:${port}); set saml_provider to one of ${SAML_CHOICES}`,
    });
    assert.deepEqual(calls, ["HEAD"]);
  });
});
