/**
 * Everything that talks to an identity provider, bundled on its own (dist/idp.cjs) and loaded only when a SAML or
 * web-identity profile needs a fresh assertion or token: provider detection, the per-client HTTP session with the
 * persistent cookie jar, the vendor clients, SAML parsing, the id-token cache and the stored password.
 */
import { readFileSync } from "node:fs";
import { join as joinPath } from "node:path";
import { RunasError } from "../domain/errors.js";
import type { Clock, Locker, Logger, Prompter } from "../ports.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import { idpPassword } from "../config/storedPassword.js";
import { createCookieJar } from "../cache/cookieJar.js";
import { createTokenCache } from "../cache/tokenCache.js";
import { detectVendor } from "../idp/detectVendor.js";
import { createHttpSession } from "../idp/httpSession.js";
import { parseIdToken } from "../idp/idToken.js";
import type { IdpDeps, IdpSettings, IdToken, MfaType, OidcClient, SamlAssertion, SamlClient } from "../idp/types.js";
import { federatedSignInFor, oidcClientFor, samlClientFor } from "../idp/vendors.js";
import type { IdpAccess } from "../providers/idpAccess.js";

export interface IdpAccessOptions {
  profile: ResolvedProfile;
  files: SharedFiles;
  cacheDir: string;
  clock: Clock;
  logger: Logger;
  prompter: Prompter;
  locker: Locker;
  progress(line: string): void;
  openBrowser(url: string): Promise<boolean>;
}

/** The IdP access of a SAML or web-identity profile (core.md §3.5, §3.6). */
export function createIdpAccess(o: IdpAccessOptions): IdpAccess {
  const s = o.profile.settings;
  const kind = s.samlAuthUrl !== undefined ? "saml" : "web";
  const url = (kind === "saml" ? s.samlAuthUrl : s.webIdentityAuthUrl) ?? "";
  const clientId = s.webIdentityClientId ?? "";

  const settings = (): IdpSettings => {
    const password = idpPassword({
      files: o.files,
      url,
      kind,
      profile: o.profile.name,
      ...(kind === "saml"
        ? s.samlPassword === undefined ? {} : { override: s.samlPassword }
        : s.webIdentityPassword === undefined ? {} : { override: s.webIdentityPassword }),
    });
    const username = kind === "saml" ? s.samlUsername : s.webIdentityUsername;
    const provider = kind === "saml" ? s.samlProvider : s.webIdentityProvider;
    return {
      url,
      mfaType: (s.mfaType ?? "auto") as MfaType,
      ...(provider === undefined ? {} : { provider }),
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      ...(s.mfaCode === undefined ? {} : { mfaCode: s.mfaCode }),
      ...(s.federatedUsername === undefined ? {} : { federatedUsername: s.federatedUsername }),
      ...(s.authBrowser === undefined ? {} : { authBrowser: s.authBrowser }),
      ...(s.samlEntityId === undefined ? {} : { entityId: s.samlEntityId }),
      ...(kind === "web" ? { clientId } : {}),
      ...(s.webIdentityRedirectUri === undefined ? {} : { redirectUri: s.webIdentityRedirectUri }),
      ...(s.webIdentityFlow === "device" ? { flow: "device" as const } : {}),
    };
  };

  const tokens = createTokenCache({ dir: o.cacheDir, clock: o.clock, logger: o.logger, locker: o.locker });
  const deps = () => {
    const cookies = createCookieJar({
      file: joinPath(o.cacheDir, ".aws_runas.cookies"),
      clock: o.clock,
      logger: o.logger,
      locker: o.locker,
    });
    const session = createHttpSession({ cookies, fetch: globalThis.fetch, logger: o.logger });
    const d: IdpDeps = {
      fetch: session.fetch,
      prompter: o.prompter,
      clock: o.clock,
      logger: o.logger,
      progress: o.progress,
      openBrowser: o.openBrowser,
      configDir: o.cacheDir,
      // An Azure AD guest signs in at its home IdP in the same session: its cookies carry the result back.
      async federate(target: URL, guest: IdpSettings) {
        const vendor = await detectVendor(target.href, { kind: "saml", fetch: globalThis.fetch, logger: o.logger });
        const { provider: _azure, ...rest } = guest;
        return federatedSignInFor(vendor, { ...rest, url: target.href }, d);
      },
    };
    return d;
  };

  let saml: Promise<SamlClient> | undefined;
  let oidc: Promise<OidcClient> | undefined;
  let assertion: SamlAssertion | undefined;

  return {
    async samlAssertion() {
      // An assertion stays usable for a few minutes: reuse it within one run (a jump role and a listing share it).
      if (assertion !== undefined && assertion.expiresAt().getTime() > o.clock.now().getTime()) return assertion;
      saml ??= (async () => {
        const st = settings();
        const vendor = await detectVendor(url, {
          kind: "saml",
          fetch: globalThis.fetch,
          logger: o.logger,
          ...(st.provider === undefined ? {} : { forced: st.provider }),
        });
        return samlClientFor(vendor, st, deps());
      })();
      assertion = await (await saml).getAssertion();
      return assertion;
    },

    async idToken({ forceRefresh }): Promise<IdToken> {
      if (s.webIdentityTokenFile !== undefined) {
        let text: string;
        try {
          text = readFileSync(s.webIdentityTokenFile, "utf8");
        } catch (e) {
          throw new RunasError(
            "CONFIG_READ",
            `cannot read web_identity_token_file ${s.webIdentityTokenFile}: ${(e as { code?: string }).code ?? String(e)}`,
          );
        }
        return parseIdToken(text);
      }
      if (!forceRefresh) {
        const cached = tokens.getIdToken(url, clientId);
        if (cached !== undefined) return cached;
      } else {
        await tokens.remove(url, clientId);
      }
      oidc ??= (async () => {
        const st = settings();
        const vendor = await detectVendor(url, {
          kind: "web",
          fetch: globalThis.fetch,
          logger: o.logger,
          ...(st.provider === undefined ? {} : { forced: st.provider }),
        });
        return oidcClientFor(vendor, st, {
          ...deps(),
          refreshTokens: {
            get: () => tokens.getRefreshToken(url, clientId),
            set: (t: string | undefined) => tokens.setRefreshToken(url, clientId, t),
          },
        });
      })();
      const token = await (await oidc).getIdToken();
      try {
        await tokens.setIdToken(url, clientId, token.jwt);
      } catch (e) {
        o.logger.debug(`could not cache the id token: ${e instanceof Error ? e.message : String(e)}`);
      }
      return token;
    },
  };
}
