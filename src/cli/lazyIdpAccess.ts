import type { Logger } from "../ports.js";
import type { ResolvedProfile } from "../config/resolveProfile.js";
import type { SharedFiles } from "../config/sharedFiles.js";
import type { IdpAccess } from "../providers/idpAccess.js";
import type { AppDeps } from "./appDeps.js";

/**
 * The identity provider of a SAML or web-identity profile, behind a facade that loads the IdP bundle
 * (dist/idp.cjs) on the first call only: a cache hit never loads it.
 */
export function lazyIdpAccess(profile: ResolvedProfile, files: SharedFiles, deps: AppDeps, logger: Logger): IdpAccess {
  let access: Promise<IdpAccess> | undefined;
  const load = (): Promise<IdpAccess> =>
    (access ??= import("../lazy/idp.js").then((m) =>
      m.createIdpAccess({
        profile,
        files,
        cacheDir: files.paths.cacheDir,
        clock: deps.clock,
        logger,
        prompter: deps.prompter(),
        locker: deps.locker,
        progress: (line) => deps.out.stderr(`${line}\n`),
        openBrowser: (url) => deps.openBrowser(url),
      }),
    ));
  return {
    samlAssertion: async () => (await load()).samlAssertion(),
    idToken: async (o) => (await load()).idToken(o),
  };
}
