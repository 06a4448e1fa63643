import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import type { Logger } from "../ports.js";
import type { RouteGroup } from "./contracts.js";
import { createManagementRoutes } from "./managementApi.js";
import { fakeSessions, serveRoutes, type FakeSessions, type Harness } from "./managementApiFakes.js";
import { request, type Reply } from "../../test/helpers/httpRequest.js";

const CSRF = "csrf-token-for-the-tests-0123456789";
const ADMIN_ARN = "arn:aws:iam::123456789012:role/Admin";

function profiles() {
  return {
    admin: { summary: { role_arn: ADMIN_ARN, source_profile: "default" } },
    "mfa-admin": { summary: { role_arn: "arn:aws:iam::123456789012:role/Ops", source_profile: "default" }, mfaCode: "123456" },
    corp: {
      summary: { role_arn: "arn:aws:iam::123456789012:role/Corp", auth_url: "https://idp.example.com/saml", username: "erin" },
      login: { username: "erin", password: "correct horse" },
    },
    "corp-mfa": {
      summary: { role_arn: "arn:aws:iam::123456789012:role/CorpMfa", auth_url: "https://idp.example.com/saml" },
      login: { username: "dan", password: "p4ss" },
      mfaCode: "654321",
    },
    dev: { summary: {} },
  };
}

describe("createManagementRoutes", () => {
  let harness: Harness;
  let sessions: FakeSessions;
  let logger: Logger & { lines: string[] };
  // The routes under test are rebuilt for each test around fresh sessions; the server stays.
  let routes: RouteGroup;

  before(async () => {
    harness = await serveRoutes([{ handle: (r) => routes.handle(r) }]);
  });
  after(() => harness.close());
  beforeEach(() => {
    sessions = fakeSessions(profiles(), ["default", "base"]);
    logger = memoryLogger();
    routes = createManagementRoutes({ sessions, csrfToken: CSRF, logger });
  });

  const url = (path: string) => `${harness.url}${path}`;
  /** A POST or PUT as the UI's own page sends it. */
  const send = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
    request(url(path), {
      method,
      body,
      headers: {
        "X-CSRF-Token": CSRF,
        Origin: harness.url,
        "Sec-Fetch-Site": "same-origin",
        "Content-Type": "application/x-www-form-urlencoded",
        ...headers,
      },
    });
  const json = (r: Reply): unknown => JSON.parse(r.body);

  describe("listing profiles", () => {
    it("GET /list-roles answers the role profiles as a sorted JSON array", async () => {
      const r = await request(url("/list-roles"));
      assert.equal(r.status, 200);
      assert.equal(r.headers["content-type"], "application/json");
      assert.deepEqual(json(r), ["admin", "corp", "corp-mfa", "mfa-admin"]);
    });

    it("GET /list-profiles answers the other profiles, default included", async () => {
      const r = await request(url("/list-profiles"));
      assert.equal(r.status, 200);
      assert.deepEqual(json(r), ["base", "default", "dev"]);
    });

    it("answers HEAD like GET without a body", async () => {
      const r = await request(url("/list-roles"), { method: "HEAD" });
      assert.equal(r.status, 200);
      assert.equal(r.body, "");
      assert.ok(Number(r.headers["content-length"]) > 0);
    });

    it("an unreadable config file is a 500 with the reason as JSON", async () => {
      sessions.brokenConfig = true;
      const r = await request(url("/list-profiles"));
      assert.equal(r.status, 500);
      assert.deepEqual(json(r), { code: "CONFIG_READ", message: "cannot read /home/x/.aws/config: permission denied" });
      assert.deepEqual(logger.lines, ["ERROR GET /list-profiles: cannot read /home/x/.aws/config: permission denied"]);
    });

    it("refuses other methods with 405 and the allowed ones", async () => {
      const r = await send("POST", "/list-roles", "");
      assert.equal(r.status, 405);
      assert.equal(r.headers.allow, "GET, HEAD");
      assert.deepEqual(json(r), { code: "MethodNotAllowed", message: "/list-roles answers GET, HEAD only" });
    });
  });

  describe("every answer is for the page only", () => {
    it("carries no-store, nosniff, a CSP and X-Frame-Options DENY", async () => {
      for (const r of [await request(url("/list-roles")), await request(url("/profile")), await send("POST", "/refresh", "")]) {
        assert.equal(r.headers["cache-control"], "no-store");
        assert.equal(r.headers["x-content-type-options"], "nosniff");
        assert.equal(r.headers["x-frame-options"], "DENY");
        assert.equal(r.headers["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
      }
    });

    it("leaves paths that are not its own to the next group", async () => {
      for (const path of ["/", "/profile/", "/profiles", "/credentials", "/profile/custom/x", "/constructor", "/__proto__", "/toString"]) {
        const r = await request(url(path));
        assert.equal(r.status, 404, path);
        assert.equal(r.body, "404 page not found\n");
      }
    });
  });

  describe("GET and POST /profile", () => {
    it("GET before any profile is chosen is a 500 JSON error that says what to do", async () => {
      const r = await request(url("/profile"));
      assert.equal(r.status, 500);
      assert.equal(r.headers["content-type"], "application/json");
      assert.deepEqual(json(r), {
        code: "ProfileNotSet",
        message: `no profile is active: choose one at ${harness.url}/ or POST /profile`,
      });
    });

    it("POST switches the profile and answers upstream's JSON, keys sorted, the name in a header", async () => {
      const r = await send("POST", "/profile", "admin\n", { "Content-Type": "text/plain" });
      assert.equal(r.status, 200);
      assert.equal(r.body, `{"auth_url":"","client_id":"","external_id":"","jump_role":"","redirect_uri":"","role_arn":"${ADMIN_ARN}","source_profile":"default","username":""}`);
      assert.equal(r.headers["x-awsrunas-profile"], "admin");
      assert.deepEqual(sessions.calls, ["activate admin"]);
      assert.ok(logger.lines.includes("DEBUG updated profile to admin"));

      const g = await request(url("/profile"));
      assert.equal(g.status, 200);
      assert.equal(g.body, r.body);
      assert.equal(g.headers["x-awsrunas-profile"], "admin");
    });

    it("leaves source_profile out when the profile has none", async () => {
      const r = await send("POST", "/profile", "corp");
      assert.equal(r.status, 401);
      const g = await request(url("/profile"));
      assert.equal(g.status, 200);
      assert.deepEqual(Object.keys(json(g) as object), ["auth_url", "client_id", "external_id", "jump_role", "redirect_uri", "role_arn", "username"]);
    });

    it("takes the first 256 bytes of the body, trimmed, as the name", async () => {
      await send("POST", "/profile", `  ${"x".repeat(300)}`);
      assert.deepEqual(sessions.calls, [`activate ${"x".repeat(254)}`]);
    });

    it("an empty body is a 400", async () => {
      const r = await send("POST", "/profile", " \n");
      assert.equal(r.status, 400);
      assert.deepEqual(json(r), { code: "BadRequest", message: "the request body must be the name of a profile, for example: admin" });
      assert.deepEqual(sessions.calls, []);
    });

    it("a profile that cannot be resolved is a 500 with the error's line, and none is active", async () => {
      const r = await send("POST", "/profile", "nope");
      assert.equal(r.status, 500);
      assert.deepEqual(json(r), { code: "PROFILE_NOT_FOUND", message: "profile 'nope' is not in the config file: check its name" });
      assert.ok(logger.lines.includes("ERROR POST /profile: profile 'nope' is not in the config file: check its name"));
      assert.equal((await request(url("/profile"))).status, 500);
    });

    it("PUT is a 405", async () => {
      const r = await send("PUT", "/profile", "admin");
      assert.equal(r.status, 405);
      assert.equal(r.headers.allow, "GET, HEAD, POST");
    });
  });

  describe("the same-origin guard of POST and PUT", () => {
    const refusals: [string, Record<string, string>, RegExp][] = [
      ["a missing X-CSRF-Token", { "X-CSRF-Token": "" }, /X-CSRF-Token header is missing/],
      ["a wrong X-CSRF-Token", { "X-CSRF-Token": "guessed" }, /X-CSRF-Token header is wrong/],
      ["a token of another length", { "X-CSRF-Token": CSRF.slice(0, -1) }, /X-CSRF-Token header is wrong/],
      ["a cross-origin Origin", { Origin: "http://evil.example" }, /another origin are refused/],
      ["an Origin with another port", { Origin: "http://127.0.0.1:1" }, /another origin are refused/],
      ["the opaque Origin null", { Origin: "null" }, /another origin are refused/],
      ["Sec-Fetch-Site cross-site", { "Sec-Fetch-Site": "cross-site" }, /cross-site requests are refused/],
      ["Sec-Fetch-Site same-site", { "Sec-Fetch-Site": "same-site" }, /cross-site requests are refused/],
    ];
    for (const [what, headers, message] of refusals) {
      it(`refuses ${what} with 403 before any route runs`, async () => {
        for (const [method, path, body] of [
          ["POST", "/profile", "admin"],
          ["POST", "/mfa", "mfa=123456"],
          ["POST", "/auth", "username=a&password=b"],
          ["POST", "/refresh", ""],
          ["POST", "/profile/custom", `adv-type=iam&role-arn=${ADMIN_ARN}`],
          ["PUT", "/profile/custom", `adv-type=iam&role-arn=${ADMIN_ARN}&profile-name=x`],
        ] as const) {
          const r = await send(method, path, body, headers);
          assert.equal(r.status, 403, `${method} ${path}`);
          const err = json(r) as { code: string; message: string };
          assert.equal(err.code, "Forbidden");
          assert.match(err.message, message);
        }
        assert.deepEqual(sessions.calls, [], "no refused request reaches the sessions");
        assert.ok(logger.lines.every((l) => l.startsWith("WARN ") && !l.includes(CSRF)));
      });
    }

    it("refuses a request without any browser headers but no token (a script that did not read the page)", async () => {
      const r = await request(url("/profile"), { method: "POST", body: "admin" });
      assert.equal(r.status, 403);
    });

    it("lets through the token without Origin or Sec-Fetch-Site (a script), and Sec-Fetch-Site none", async () => {
      const script = await request(url("/profile"), { method: "POST", body: "admin", headers: { "X-CSRF-Token": CSRF } });
      assert.equal(script.status, 200);
      const typed = await send("POST", "/profile", "admin", { "Sec-Fetch-Site": "none" });
      assert.equal(typed.status, 200);
    });

    it("compares the Origin with the Host the request named, case-insensitively", async () => {
      const r = await send("POST", "/profile", "admin", {
        Host: `LOCALHOST:${harness.port}`,
        Origin: `http://localhost:${harness.port}`,
      });
      assert.equal(r.status, 200);
    });

    it("GETs need no token: they reveal profile names only", async () => {
      assert.equal((await request(url("/list-roles"), { headers: { "Sec-Fetch-Site": "cross-site" } })).status, 200);
    });
  });

  describe("sign-ins that need the person (core.md §9.6)", () => {
    it("an MFA profile answers 401 MFA with {}; a wrong code is 401 again; the right one is 200", async () => {
      const r = await send("POST", "/profile", "mfa-admin");
      assert.equal(r.status, 401);
      assert.equal(r.headers["x-awsrunas-authentication-type"], "MFA");
      assert.equal(r.body, "{}");
      assert.equal(r.headers["content-type"], "application/json");

      const wrong = await send("POST", "/mfa", "mfa=000000");
      assert.equal(wrong.status, 401);
      assert.deepEqual(json(wrong), { code: "MFA_INVALID", message: "the MFA code was not accepted: enter the current code" });
      assert.equal(wrong.headers["x-awsrunas-authentication-type"], undefined);

      const right = await send("POST", "/mfa", "mfa=+123456+");
      assert.equal(right.status, 200);
      assert.equal(right.body, "");
      assert.equal((await request(url("/profile"))).status, 200);
      assert.deepEqual(sessions.calls, ["activate mfa-admin", "supplyMfa ***", "supplyMfa ***"]);
      for (const line of logger.lines) assert.ok(!/000000|123456/.test(line), line);
    });

    it("a missing or malformed MFA code is a 400", async () => {
      await send("POST", "/profile", "mfa-admin");
      for (const body of ["", "mfa=", "mfa=12%2034", `mfa=${"1".repeat(65)}`]) {
        const r = await send("POST", "/mfa", body);
        assert.equal(r.status, 400, body);
      }
      assert.deepEqual(sessions.calls, ["activate mfa-admin"]);
    });

    it("a profile needing a password answers 401 AUTH with the known username; /auth signs in", async () => {
      const r = await send("POST", "/profile", "corp");
      assert.equal(r.status, 401);
      assert.equal(r.headers["x-awsrunas-authentication-type"], "AUTH");
      assert.deepEqual(json(r), { username: "erin" });

      const missing = await send("POST", "/auth", "username=erin");
      assert.equal(missing.status, 400);
      assert.deepEqual(json(missing), { code: "BadRequest", message: "both username and password are needed" });

      const wrong = await send("POST", "/auth", "username=erin&password=hunter2");
      assert.equal(wrong.status, 401);
      assert.equal((json(wrong) as { code: string }).code, "IDP_AUTH");

      const right = await send("POST", "/auth", new URLSearchParams({ username: " erin ", password: "correct horse" }).toString());
      assert.equal(right.status, 200);
      assert.equal(right.body, "");
      assert.deepEqual(sessions.calls, ["activate corp", "supplyLogin erin ***", "supplyLogin erin ***"]);
      for (const line of logger.lines) assert.ok(!/hunter2|correct horse/.test(line), line);
    });

    it("a password followed by an MFA code: /auth answers 401 MFA, then /mfa completes", async () => {
      assert.deepEqual(json(await send("POST", "/profile", "corp-mfa")), { username: "" });
      const auth = await send("POST", "/auth", "username=dan&password=p4ss");
      assert.equal(auth.status, 401);
      assert.equal(auth.headers["x-awsrunas-authentication-type"], "MFA");
      assert.equal((await send("POST", "/mfa", "mfa=654321")).status, 200);
    });

    it("/auth and /mfa before any profile is chosen are 500 profile not set", async () => {
      for (const [path, body] of [["/auth", "username=a&password=b"], ["/mfa", "mfa=123456"]]) {
        const r = await send("POST", path!, body!);
        assert.equal(r.status, 500);
        assert.equal((json(r) as { code: string }).code, "ProfileNotSet");
      }
      assert.deepEqual(sessions.calls, []);
    });

    it("an error that is not a refused sign-in is a 500, not an Invalid MFA Code", async () => {
      sessions.supplyMfa = async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:443\n    at TCPConnectWrap.afterConnect");
      };
      await send("POST", "/profile", "mfa-admin");
      const r = await send("POST", "/mfa", "mfa=123456");
      assert.equal(r.status, 500);
      assert.deepEqual(json(r), { code: "InternalError", message: "connect ECONNREFUSED 127.0.0.1:443" });
    });

    it("recognises AuthenticationRequired thrown by another bundle's copy of the class", async () => {
      sessions.activate = async () => {
        const e = new Error("an MFA code is needed") as Error & { kind: string };
        e.name = "AuthenticationRequired";
        e.kind = "MFA";
        throw e;
      };
      const r = await send("POST", "/profile", "admin");
      assert.equal(r.status, 401);
      assert.equal(r.headers["x-awsrunas-authentication-type"], "MFA");
    });
  });

  describe("POST /refresh", () => {
    it("before any profile is chosen is 500 profile not set", async () => {
      const r = await send("POST", "/refresh", "");
      assert.equal(r.status, 500);
      assert.equal((json(r) as { code: string }).code, "ProfileNotSet");
    });

    it("drops the active profile's credentials: the next sign-in asks for the MFA code again", async () => {
      await send("POST", "/profile", "mfa-admin");
      await send("POST", "/mfa", "mfa=123456");
      assert.equal((await send("POST", "/profile", "mfa-admin")).status, 200);
      const r = await send("POST", "/refresh", "");
      assert.equal(r.status, 200);
      assert.equal(r.body, "success");
      assert.equal((await send("POST", "/profile", "mfa-admin")).status, 401);
    });

    it("GET is a 405", async () => {
      assert.equal((await request(url("/refresh"))).status, 405);
    });
  });

  describe("POST and PUT /profile/custom", () => {
    it("POST makes the form's configuration active, with only its type's fields", async () => {
      const body = new URLSearchParams({
        "adv-type": "iam",
        "role-arn": ` ${ADMIN_ARN} `,
        "source-profile": "base",
        "external-id": "",
        "auth-url": "https://left.over.example",
        password: "not for iam",
      }).toString();
      const r = await send("POST", "/profile/custom", body);
      assert.equal(r.status, 200);
      assert.equal(r.body, "");
      assert.deepEqual(sessions.customForms, [{ "adv-type": "iam", "role-arn": ADMIN_ARN, "source-profile": "base" }]);
      const g = await request(url("/profile"));
      assert.equal(g.status, 200);
      assert.equal((json(g) as { role_arn: string }).role_arn, ADMIN_ARN);
      assert.equal(g.headers["x-awsrunas-profile"], "");
    });

    it("keeps the SAML and OIDC fields of those types, the password as typed", async () => {
      const saml = { "adv-type": "saml", "role-arn": ADMIN_ARN, "auth-url": "https://idp.example.com", username: "erin", password: " p w ", "jump-role": "arn:aws:iam::1:role/J", "client-id": "dropped" };
      assert.equal((await send("POST", "/profile/custom", new URLSearchParams(saml).toString())).status, 200);
      const oidc = { ...saml, "adv-type": "oidc", "client-id": "cid", "redirect-uri": "http://localhost:9999/cb", "external-id": "dropped" };
      assert.equal((await send("POST", "/profile/custom", new URLSearchParams(oidc).toString())).status, 200);
      assert.deepEqual(sessions.customForms, [
        { "adv-type": "saml", "role-arn": ADMIN_ARN, "auth-url": "https://idp.example.com", username: "erin", password: " p w ", "jump-role": "arn:aws:iam::1:role/J" },
        { "adv-type": "oidc", "role-arn": ADMIN_ARN, "auth-url": "https://idp.example.com", username: "erin", password: " p w ", "jump-role": "arn:aws:iam::1:role/J", "client-id": "cid", "redirect-uri": "http://localhost:9999/cb" },
      ]);
      for (const line of logger.lines) assert.ok(!line.includes("p w"), line);
    });

    it("a missing or unknown adv-type is a 400", async () => {
      for (const [body, shown] of [["role-arn=x", ""], ["adv-type=sso&role-arn=x", "sso"]]) {
        const r = await send("POST", "/profile/custom", body!);
        assert.equal(r.status, 400);
        assert.deepEqual(json(r), { code: "BadRequest", message: `Invalid Configuration: adv-type must be iam, saml or oidc, not '${shown}'` });
      }
      assert.deepEqual(sessions.calls, []);
    });

    it("a value with a line break is a 400: it would write other keys into the config file", async () => {
      const r = await send("POST", "/profile/custom", new URLSearchParams({ "adv-type": "iam", "role-arn": `${ADMIN_ARN}\nsaml_auth_url = https://evil` }).toString());
      assert.equal(r.status, 400);
      assert.deepEqual(json(r), { code: "BadRequest", message: "Invalid Configuration: role-arn must be one line of printable characters" });
    });

    it("a configuration the sessions refuse is a 400 Invalid Configuration", async () => {
      const r = await send("POST", "/profile/custom", "adv-type=iam&role-arn=Admin");
      assert.equal(r.status, 400);
      assert.deepEqual(json(r), { code: "INVALID_CONFIG", message: "Invalid Configuration: role_arn 'Admin' is not an ARN" });
    });

    it("PUT saves the form under profile-name", async () => {
      const r = await send("PUT", "/profile/custom", `adv-type=iam&role-arn=${encodeURIComponent(ADMIN_ARN)}&profile-name=+saved+`);
      assert.equal(r.status, 200);
      assert.deepEqual([...sessions.saved], [["saved", { "adv-type": "iam", "role-arn": ADMIN_ARN }]]);
      assert.ok(logger.lines.includes("INFO saved the custom configuration as profile 'saved'"));
    });

    it("PUT without a usable profile-name is a 400 Invalid profile name", async () => {
      for (const name of ["", "   ", "a]b", "[x", "a%0Ab", "x".repeat(129)]) {
        const r = await send("PUT", "/profile/custom", `adv-type=iam&role-arn=arn:x&profile-name=${name}`);
        assert.equal(r.status, 400, name);
        assert.match((json(r) as { message: string }).message, /^Invalid profile name/);
      }
      assert.deepEqual(sessions.calls, []);
    });

    it("a failed save is a 500 with the error's line", async () => {
      sessions.saveCustom = async () => {
        throw new Error("EACCES: permission denied, open '/home/x/.aws/config'");
      };
      const r = await send("PUT", "/profile/custom", "adv-type=iam&role-arn=arn:x&profile-name=y");
      assert.equal(r.status, 500);
      assert.deepEqual(json(r), { code: "InternalError", message: "EACCES: permission denied, open '/home/x/.aws/config'" });
    });

    it("other methods are 405 and name POST and PUT", async () => {
      for (const method of ["GET", "DELETE", "PATCH"]) {
        const r = await send(method, "/profile/custom", "");
        assert.equal(r.status, 405, method);
        assert.equal(r.headers.allow, "POST, PUT");
      }
    });
  });
});
