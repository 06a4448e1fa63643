/**
 * The `browserne` SAML provider (idp.md §9.2): the user signs in with their own browser. aws-runas listens on a
 * loopback port, sends the browser to the IdP with an SP-initiated AuthnRequest naming that port as the Assertion
 * Consumer Service, and takes the SAMLResponse the IdP has the browser POST back. Any IdP, any MFA the web UI offers.
 */
import { isRunasError, RunasError } from "../../domain/errors.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import type { IdpDeps, IdpSettings, SamlClient } from "../types.js";
import { listenAcs } from "./acsListener.js";
import { buildAuthnRequest } from "./authnRequest.js";

/**
 * A client that, for every assertion, runs one browser sign-in: start the listener, open
 * `saml_auth_url?SAMLRequest=…`, wait (5 minutes at most, idp.md §13 item 9) and parse what comes back. The Issuer is
 * saml_auth_entityid, else the listener's metadata URL. Every failure is one RunasError line.
 */
export function browserneSamlClient(s: IdpSettings, d: IdpDeps): SamlClient {
  return {
    vendor: "browserne",
    async getAssertion(signal?: AbortSignal) {
      try {
        const listener = await listenAcs();
        let response: string;
        try {
          const { redirectUrl } = buildAuthnRequest({
            destination: s.url,
            acsUrl: listener.acsUrl,
            issuer: s.entityId !== undefined && s.entityId !== "" ? s.entityId : listener.metadataUrl,
            now: d.clock.now(),
          });
          d.logger.debug(`browserne: waiting for the SAMLResponse at ${listener.acsUrl}`);
          d.progress(`open this URL to sign in: ${redirectUrl}`);
          if (!(await d.openBrowser(redirectUrl))) {
            d.progress("no browser could be started: open the URL above in a browser on this machine");
          }
          response = await listener.waitForResponse(signal === undefined ? {} : { signal });
        } finally {
          await listener.close();
        }
        return parseSamlAssertion(response);
      } catch (e) {
        if (isRunasError(e)) throw e;
        if (signal?.aborted === true) {
          throw new RunasError("IDP_AUTH", "the browser sign-in was cancelled before the SAMLResponse came back", { cause: e });
        }
        throw new RunasError(
          "IDP_ERROR",
          `the browser sign-in failed (${e instanceof Error ? e.message : String(e)}); run aws-runas again`,
          { cause: e },
        );
      }
    },
  };
}
