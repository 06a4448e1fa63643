import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isRunasError } from "../../domain/errors.js";
import { parseForgerockUrl } from "./realm.js";

/** Everything parseForgerockUrl gives, with samlInitUrl called with its default entity id. */
interface Expected {
  baseUrl: string;
  realm: string;
  realmPath: string;
  samlInitUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  authenticateUrl: string;
}

function flatten(url: string): Expected {
  const { samlInitUrl, ...rest } = parseForgerockUrl(url);
  return { ...rest, samlInitUrl: samlInitUrl() };
}

describe("parseForgerockUrl (idp.md §7, §15 case 8)", () => {
  const cases: [string, string, Expected][] = [
    [
      "upstream's constructor test",
      "https://localhost/auth/oauth2/realms/mock",
      {
        baseUrl: "https://localhost/auth",
        realm: "mock",
        realmPath: "/realms/mock",
        samlInitUrl: "https://localhost/auth/idpssoinit?metaAlias=/mock/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://localhost/auth/oauth2/realms/mock/authorize",
        tokenUrl: "https://localhost/auth/oauth2/realms/mock/access_token",
        authenticateUrl: "https://localhost/auth/json/realms/mock/authenticate",
      },
    ],
    [
      "the seed's example",
      "https://my-forgerock-hostname.com/auth/oauth2/realms/__the-realm__",
      {
        baseUrl: "https://my-forgerock-hostname.com/auth",
        realm: "__the-realm__",
        realmPath: "/realms/__the-realm__",
        samlInitUrl:
          "https://my-forgerock-hostname.com/auth/idpssoinit?metaAlias=/__the-realm__/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://my-forgerock-hostname.com/auth/oauth2/realms/__the-realm__/authorize",
        tokenUrl: "https://my-forgerock-hostname.com/auth/oauth2/realms/__the-realm__/access_token",
        authenticateUrl: "https://my-forgerock-hostname.com/auth/json/realms/__the-realm__/authenticate",
      },
    ],
    [
      "a nested realm is kept whole (idp.md §13.6)",
      "https://tenant.forgeblocks.com/am/oauth2/realms/root/realms/alpha",
      {
        baseUrl: "https://tenant.forgeblocks.com/am",
        realm: "root/alpha",
        realmPath: "/realms/root/realms/alpha",
        samlInitUrl: "https://tenant.forgeblocks.com/am/idpssoinit?metaAlias=/alpha/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://tenant.forgeblocks.com/am/oauth2/realms/root/realms/alpha/authorize",
        tokenUrl: "https://tenant.forgeblocks.com/am/oauth2/realms/root/realms/alpha/access_token",
        authenticateUrl: "https://tenant.forgeblocks.com/am/json/realms/root/realms/alpha/authenticate",
      },
    ],
    [
      "a realm two levels down, with a trailing slash, a query and a port",
      "https://am.example.com:8443/sso/oauth2/realms/root/realms/parent/realms/child/?ignored=1#frag",
      {
        baseUrl: "https://am.example.com:8443/sso",
        realm: "root/parent/child",
        realmPath: "/realms/root/realms/parent/realms/child",
        samlInitUrl: "https://am.example.com:8443/sso/idpssoinit?metaAlias=/parent/child/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://am.example.com:8443/sso/oauth2/realms/root/realms/parent/realms/child/authorize",
        tokenUrl: "https://am.example.com:8443/sso/oauth2/realms/root/realms/parent/realms/child/access_token",
        authenticateUrl: "https://am.example.com:8443/sso/json/realms/root/realms/parent/realms/child/authenticate",
      },
    ],
    [
      "the SAML form of the docs, ending in /authenticate",
      "https://am.example.com/openam/json/realms/myrealm/authenticate",
      {
        baseUrl: "https://am.example.com/openam",
        realm: "myrealm",
        realmPath: "/realms/myrealm",
        samlInitUrl: "https://am.example.com/openam/idpssoinit?metaAlias=/myrealm/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://am.example.com/openam/oauth2/realms/myrealm/authorize",
        tokenUrl: "https://am.example.com/openam/oauth2/realms/myrealm/access_token",
        authenticateUrl: "https://am.example.com/openam/json/realms/myrealm/authenticate",
      },
    ],
    [
      "upstream's SAML test form on a fake server",
      "http://127.0.0.1:38211/base/json/realms/mockRealm",
      {
        baseUrl: "http://127.0.0.1:38211/base",
        realm: "mockRealm",
        realmPath: "/realms/mockRealm",
        samlInitUrl: "http://127.0.0.1:38211/base/idpssoinit?metaAlias=/mockRealm/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "http://127.0.0.1:38211/base/oauth2/realms/mockRealm/authorize",
        tokenUrl: "http://127.0.0.1:38211/base/oauth2/realms/mockRealm/access_token",
        authenticateUrl: "http://127.0.0.1:38211/base/json/realms/mockRealm/authenticate",
      },
    ],
    [
      "the top-level realm: its hosted IdP alias has no realm part",
      "https://am.example.com/am/json/realms/root/authenticate",
      {
        baseUrl: "https://am.example.com/am",
        realm: "root",
        realmPath: "/realms/root",
        samlInitUrl: "https://am.example.com/am/idpssoinit?metaAlias=/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://am.example.com/am/oauth2/realms/root/authorize",
        tokenUrl: "https://am.example.com/am/oauth2/realms/root/access_token",
        authenticateUrl: "https://am.example.com/am/json/realms/root/authenticate",
      },
    ],
    [
      "AM deployed at the root of the host",
      "https://am.example.com/oauth2/realms/alpha",
      {
        baseUrl: "https://am.example.com",
        realm: "alpha",
        realmPath: "/realms/alpha",
        samlInitUrl: "https://am.example.com/idpssoinit?metaAlias=/alpha/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://am.example.com/oauth2/realms/alpha/authorize",
        tokenUrl: "https://am.example.com/oauth2/realms/alpha/access_token",
        authenticateUrl: "https://am.example.com/json/realms/alpha/authenticate",
      },
    ],
    [
      "/json/ wins over /oauth2/ for the base, as upstream checks them",
      "https://am.example.com/oauth2/json/realms/alpha",
      {
        baseUrl: "https://am.example.com/oauth2",
        realm: "alpha",
        realmPath: "/realms/alpha",
        samlInitUrl: "https://am.example.com/oauth2/idpssoinit?metaAlias=/alpha/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://am.example.com/oauth2/oauth2/realms/alpha/authorize",
        tokenUrl: "https://am.example.com/oauth2/oauth2/realms/alpha/access_token",
        authenticateUrl: "https://am.example.com/oauth2/json/realms/alpha/authenticate",
      },
    ],
    [
      "a WS-Federation URL: the realm comes before the entity alias",
      "https://am.example.com/openam/WSFederationServlet/metaAlias/myrealm/wsfedidp",
      {
        baseUrl: "https://am.example.com/openam",
        realm: "root/myrealm",
        realmPath: "/realms/root/realms/myrealm",
        samlInitUrl: "https://am.example.com/openam/idpssoinit?metaAlias=/myrealm/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://am.example.com/openam/oauth2/realms/root/realms/myrealm/authorize",
        tokenUrl: "https://am.example.com/openam/oauth2/realms/root/realms/myrealm/access_token",
        authenticateUrl: "https://am.example.com/openam/json/realms/root/realms/myrealm/authenticate",
      },
    ],
    [
      "a WS-Federation URL with one segment after metaAlias takes it as the realm, as upstream did",
      "https://am.example.com/openam/WSFederationServlet/metaAlias/mock",
      {
        baseUrl: "https://am.example.com/openam",
        realm: "root/mock",
        realmPath: "/realms/root/realms/mock",
        samlInitUrl: "https://am.example.com/openam/idpssoinit?metaAlias=/mock/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://am.example.com/openam/oauth2/realms/root/realms/mock/authorize",
        tokenUrl: "https://am.example.com/openam/oauth2/realms/root/realms/mock/access_token",
        authenticateUrl: "https://am.example.com/openam/json/realms/root/realms/mock/authenticate",
      },
    ],
    [
      "a nested WS-Federation realm",
      "https://am.example.com/openam/WSFederationServlet/metaAlias/parent/child/wsfedidp",
      {
        baseUrl: "https://am.example.com/openam",
        realm: "root/parent/child",
        realmPath: "/realms/root/realms/parent/realms/child",
        samlInitUrl: "https://am.example.com/openam/idpssoinit?metaAlias=/parent/child/saml-idp&spEntityID=urn:amazon:webservices",
        authorizeUrl: "https://am.example.com/openam/oauth2/realms/root/realms/parent/realms/child/authorize",
        tokenUrl: "https://am.example.com/openam/oauth2/realms/root/realms/parent/realms/child/access_token",
        authenticateUrl: "https://am.example.com/openam/json/realms/root/realms/parent/realms/child/authenticate",
      },
    ],
  ];
  for (const [name, url, expected] of cases) {
    it(name, () => {
      assert.deepEqual(flatten(url), expected);
    });
  }

  describe("samlInitUrl", () => {
    const parsed = parseForgerockUrl("https://tenant.forgeblocks.com/am/oauth2/realms/root/realms/alpha");
    const entityCases: [string, string | undefined, string][] = [
      ["AWS's SP entity id by default", undefined, "urn:amazon:webservices"],
      ["AWS's SP entity id for an empty setting", "", "urn:amazon:webservices"],
      ["a configured entity id, slashes and colons kept readable", "https://signin.aws.amazon.com/saml", "https://signin.aws.amazon.com/saml"],
      ["characters that would break the query escaped", "urn:a&b c#d+e", "urn:a%26b%20c%23d%2Be"],
    ];
    for (const [name, entityId, spEntityId] of entityCases) {
      it(name, () => {
        assert.equal(
          parsed.samlInitUrl(entityId),
          `https://tenant.forgeblocks.com/am/idpssoinit?metaAlias=/alpha/saml-idp&spEntityID=${spEntityId}`,
        );
      });
    }
  });

  describe("errors", () => {
    const FORMS =
      "write it as https://<host>/<deployment>/oauth2/realms/<realm> (OIDC) or https://<host>/<deployment>/json/realms/<realm> " +
      "(SAML); a nested realm as …/realms/root/realms/<realm>";
    const noBase = (shown: string): string =>
      `the ForgeRock URL ${shown} has no /json/, /oauth2/ or /WSFederationServlet/ part to find the AM deployment from; ${FORMS}`;
    const cases: [string, string, string][] = [
      ["no realm (upstream's test)", "http://localhost/auth/json/mock", `the ForgeRock URL http://localhost/auth/json/mock names no realm; ${FORMS}`],
      ["no base (upstream's test)", "http://localhost/auth/realms/mock", noBase("http://localhost/auth/realms/mock")],
      ["an empty realm", "https://am.example.com/am/oauth2/realms/?x=1", `the ForgeRock URL https://am.example.com/am/oauth2/realms/ names no realm; ${FORMS}`],
      ["a metaAlias with nothing after it", "https://am.example.com/am/WSFederationServlet/metaAlias/",
        `the ForgeRock URL https://am.example.com/am/WSFederationServlet/metaAlias/ names no realm; ${FORMS}`],
      ["a SAML2 endpoint that has no base marker", "https://am.example.com/am/SSORedirect/metaAlias/alpha/idp",
        noBase("https://am.example.com/am/SSORedirect/metaAlias/alpha/idp")],
      ["not http(s) (upstream's test)", "ftp://localhost", `the ForgeRock URL ftp://localhost/ must be an https:// URL; ${FORMS}`],
      ["a scheme without an origin", "gopher://am.example.com/am/oauth2/realms/alpha?q",
        `the ForgeRock URL gopher://am.example.com/am/oauth2/realms/alpha must be an https:// URL; ${FORMS}`],
      ["not a URL", "am.example.com/am/oauth2/realms/alpha", `the ForgeRock URL "am.example.com/am/oauth2/realms/alpha" is not a valid URL; ${FORMS}`],
    ];
    for (const [name, url, message] of cases) {
      it(name, () => {
        assert.throws(
          () => parseForgerockUrl(url),
          (e: unknown) => {
            assert.ok(isRunasError(e));
            assert.deepEqual({ code: e.code, message: e.message }, { code: "INVALID_CONFIG", message });
            return true;
          },
        );
      });
    }
  });
});
