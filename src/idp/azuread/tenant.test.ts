import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isRunasError } from "../../domain/errors.js";
import { parseAzureAdUrl } from "./tenant.js";
import type { AzureAdUrl } from "./tenant.js";

const GUID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const APP = "0b7e9b7b-2c5e-4a2e-9d1e-3f1a2b3c4d5e";

/** The expected value for a tenant whose endpoints are at `origin`. */
function at(origin: string, tenantId: string, host: string, appId?: string): AzureAdUrl {
  return {
    tenantId,
    ...(appId === undefined ? {} : { appId }),
    authorizeUrl: `${origin}/${tenantId}/oauth2/v2.0/authorize`,
    tokenUrl: `${origin}/${tenantId}/oauth2/v2.0/token`,
    host,
  };
}

describe("parseAzureAdUrl (idp.md §8, §15 case 8)", () => {
  const PUBLIC = "https://login.microsoftonline.com";
  const cases: [string, string, AzureAdUrl][] = [
    ["the seed's example: the tenant comes from the path", `${PUBLIC}/__tenant-id__/oauth2/v2.0`,
      at(PUBLIC, "__tenant-id__", "login.microsoftonline.com")],
    ["a GUID tenant with a trailing slash", `${PUBLIC}/${GUID}/oauth2/v2.0/`, at(PUBLIC, GUID, "login.microsoftonline.com")],
    ["a domain tenant", `${PUBLIC}/contoso.onmicrosoft.com/oauth2/v2.0`, at(PUBLIC, "contoso.onmicrosoft.com", "login.microsoftonline.com")],
    ["the authorize endpoint itself, with a query", `${PUBLIC}/${GUID}/oauth2/v2.0/authorize?client_id=abc`,
      at(PUBLIC, GUID, "login.microsoftonline.com")],
    ["the token endpoint itself, in another case", `${PUBLIC}/${GUID}/OAuth2/V2.0/Token`, at(PUBLIC, GUID, "login.microsoftonline.com")],
    ["the v2.0 issuer", `${PUBLIC}/${GUID}/v2.0`, at(PUBLIC, GUID, "login.microsoftonline.com")],
    ["the discovery document", `${PUBLIC}/${GUID}/v2.0/.well-known/openid-configuration`, at(PUBLIC, GUID, "login.microsoftonline.com")],
    ["the tenant alone", `${PUBLIC}/${GUID}`, at(PUBLIC, GUID, "login.microsoftonline.com")],
    ["upstream's tenantId parameter on the v2.0 path", `${PUBLIC}/oauth2/v2.0?tenantId=54321`, at(PUBLIC, "54321", "login.microsoftonline.com")],
    ["upstream's tenantId parameter alone", `${PUBLIC}/?tenantId=54321`, at(PUBLIC, "54321", "login.microsoftonline.com")],
    ["the tenant in both places, agreeing", `${PUBLIC}/54321/oauth2/v2.0?tenantId=54321`, at(PUBLIC, "54321", "login.microsoftonline.com")],
    ["the tenant alone in the path of a login host, beside the same tenantId", `${PUBLIC}/54321?tenantId=54321`,
      at(PUBLIC, "54321", "login.microsoftonline.com")],
    ["the US Government cloud signs in at its own host", `https://login.microsoftonline.us/${GUID}/oauth2/v2.0`,
      at("https://login.microsoftonline.us", GUID, "login.microsoftonline.us")],
    ["a fake server keeps its origin", "http://127.0.0.1:38211/mock-tenant/oauth2/v2.0",
      at("http://127.0.0.1:38211", "mock-tenant", "127.0.0.1:38211")],
    ["a fake server with the tenant alone", "http://localhost:38211/myapp", at("http://localhost:38211", "myapp", "localhost:38211")],
    ["upstream's My Apps example", "https://myapps.microsoft.com/signin/testapp/12345?tenantId=54321",
      at(PUBLIC, "54321", "myapps.microsoft.com", "12345")],
    ["the My Apps launcher URL Entra shows today", `https://launcher.myapps.microsoft.com/api/signin/${APP}?tenantId=${GUID}`,
      at(PUBLIC, GUID, "launcher.myapps.microsoft.com", APP)],
    ["a My Apps URL without the app name", `https://myapps.microsoft.com/signin/${APP}?tenantId=${GUID}`,
      at(PUBLIC, GUID, "myapps.microsoft.com", APP)],
    ["the older access panel host", `https://account.activedirectory.windowsazure.com/applications/signin/AWS/${APP}?tenantId=${GUID}`,
      at(PUBLIC, GUID, "account.activedirectory.windowsazure.com", APP)],
    ["US Government My Apps", `https://myapps.microsoft.us/signin/AWS/${APP}?tenantId=${GUID}`,
      at("https://login.microsoftonline.us", GUID, "myapps.microsoft.us", APP)],
    ["a fake My Apps server keeps its origin", "http://127.0.0.1:38211/signin/testapp/12345?tenantId=54321",
      at("http://127.0.0.1:38211", "54321", "127.0.0.1:38211", "12345")],
  ];
  for (const [name, url, expected] of cases) {
    it(name, () => {
      assert.deepEqual(parseAzureAdUrl(url), expected);
    });
  }

  describe("errors", () => {
    const FORMS =
      "use https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0 (OIDC) or the Enterprise App's User access URL, " +
      "https://myapps.microsoft.com/signin/<app-name>/<app-id>?tenantId=<tenant-id> (SAML)";
    const cases: [string, string, string][] = [
      ["a My Apps URL without tenantId (upstream's test)", "https://myapps.microsoft.com/signin/testapp/12345",
        "tenant ID not found in the Azure AD URL https://myapps.microsoft.com/signin/testapp/12345: add ?tenantId=<tenant-id>, " +
          "as in the Enterprise App's User access URL"],
      ["a My Apps path too short for an app id (upstream's test)", "https://myapps.microsoft.com/12345?tenantId=54321",
        "app ID not found in the Azure AD URL https://myapps.microsoft.com/12345: use the Enterprise App's User access URL, " +
          "https://myapps.microsoft.com/signin/<app-name>/<app-id>?tenantId=<tenant-id>"],
      ["a lone segment beside tenantId on another host", "http://127.0.0.1:38211/12345?tenantId=54321",
        "app ID not found in the Azure AD URL http://127.0.0.1:38211/12345: use the Enterprise App's User access URL, " +
          "https://myapps.microsoft.com/signin/<app-name>/<app-id>?tenantId=<tenant-id>"],
      ["a login URL without a tenant", "https://login.microsoftonline.com/oauth2/v2.0",
        `the Azure AD URL https://login.microsoftonline.com/oauth2/v2.0 names no tenant; ${FORMS}`],
      ["two different tenants", "https://login.microsoftonline.com/aaaa/oauth2/v2.0?tenantId=bbbb",
        'the Azure AD URL https://login.microsoftonline.com/aaaa/oauth2/v2.0 names the tenant "aaaa" in its path but "bbbb" in ' +
          "tenantId; remove the tenantId parameter"],
      ["a login URL of another protocol", `https://login.microsoftonline.com/${GUID}/saml2`,
        `the Azure AD URL https://login.microsoftonline.com/${GUID}/saml2 is not a sign-in URL aws-runas knows; ${FORMS}`],
      ["the v1 endpoint, whose tokens carry another issuer", `https://login.microsoftonline.com/${GUID}/oauth2`,
        `the Azure AD URL https://login.microsoftonline.com/${GUID}/oauth2 is not a sign-in URL aws-runas knows; ${FORMS}`],
      ["a tenant that cannot be one", "https://login.microsoftonline.com/ten%20ant/oauth2/v2.0",
        `the Azure AD URL https://login.microsoftonline.com/ten%20ant/oauth2/v2.0 names the tenant "ten ant", which is not a directory id or domain; ${FORMS}`],
      ["a tenantId that cannot be one", "https://myapps.microsoft.com/signin/app/1?tenantId=a/b",
        `the Azure AD URL https://myapps.microsoft.com/signin/app/1 names the tenant "a/b", which is not a directory id or domain; ${FORMS}`],
      ["not http(s)", "ftp://login.microsoftonline.com/x/oauth2/v2.0",
        `the Azure AD URL ftp://login.microsoftonline.com/x/oauth2/v2.0 must be an https:// URL; ${FORMS}`],
      ["not a URL", "login.microsoftonline.com/x/oauth2/v2.0",
        `the Azure AD URL "login.microsoftonline.com/x/oauth2/v2.0" is not a valid URL; ${FORMS}`],
    ];
    for (const [name, url, message] of cases) {
      it(name, () => {
        assert.throws(
          () => parseAzureAdUrl(url),
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
