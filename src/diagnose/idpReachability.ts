import { displayIdpUrl } from "../config/storedPassword.js";
import { info, warn } from "./finding.js";
import type { Finding } from "./finding.js";
import type { HeadRequest } from "./httpHead.js";

/**
 * Does the IdP URL answer (core.md §8 step 4, idp.md §2)? 200 and 405 (IdPs that refuse HEAD) are fine, any other
 * final status is a warning, and no answer at all is a warning too rather than a failure: the user may simply be
 * off the VPN right now, which says nothing about the configuration. The URL is shown without its query, which may
 * carry a client secret (OneLogin's `token`).
 */
export async function idpReachabilityFindings(url: string, head: HeadRequest): Promise<Finding[]> {
  const shown = displayIdpUrl(url);
  try {
    const r = await head(url);
    const status = `${r.status} ${r.statusText}`.trim();
    if (r.status === 200 || r.status === 405) {
      return [info(`external provider endpoint ${shown} answered with http status ${status}`)];
    }
    return [
      warn(
        `http status ${status} when communicating with external provider endpoint ${shown}; check that the URL is ` +
          "the sign-in URL your identity provider gives for AWS",
      ),
    ];
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return [
      warn(
        `error communicating with external provider endpoint ${shown}: ${reason}; check the URL and your network ` +
          "connection (VPN, proxy)",
      ),
    ];
  }
}
