/**
 * Watches the browser while the user signs in (idp.md §9.1 with §13 item 8 fixed): every request to an AWS sign-in
 * endpoint is paused by the Fetch domain of the browser target (so it covers every tab and pop-up), and the POST's
 * SAMLResponse is taken from its form body. The request is answered in the browser with a short "done" page, so the
 * assertion is never sent to AWS from here: aws-runas itself hands it to STS.
 */
import { RunasError } from "../../domain/errors.js";
import type { Logger } from "../../ports.js";
import { AWS_SIGNIN_URL_PATTERNS, isAwsSignInEndpoint } from "./awsSignInEndpoints.js";
import type { CdpConnection } from "./cdpConnection.js";

/** What the browser shows once aws-runas has the sign-in. */
export const DONE_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>aws-runas</title></head>' +
  "<body><p>You can close this window \u2014 aws-runas got the sign-in.</p></body></html>";

/** What the browser shows when the IdP posted to AWS without a SAMLResponse. */
const EMPTY_POST_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>aws-runas</title></head>' +
  "<body><p>The sign-in reached AWS without a SAMLResponse; aws-runas could not use it.</p></body></html>";

/** A sign-in in progress. */
export interface SignInWatch {
  /**
   * The base64 SAMLResponse of the first POST to an AWS sign-in endpoint. Rejects with a RunasError when the user
   * closed the browser first, the sign-in URL could not be opened, or the POST carried no SAMLResponse.
   */
  readonly samlResponse: Promise<string>;
}

/** The error of a browser closed (or crashed) before the sign-in posted to AWS. */
export function browserClosedError(): RunasError {
  return new RunasError(
    "IDP_AUTH",
    "the browser was closed before the sign-in finished; run aws-runas again and finish signing in in the browser window",
  );
}

/**
 * Sets up the interception on the browser target, then opens `url` in the browser's first tab. Closing the last
 * tab counts as closing the browser (macOS keeps the process running without windows).
 */
export async function watchSignIn(cdp: CdpConnection, url: string, o: { logger: Logger }): Promise<SignInWatch> {
  let settle: { resolve(v: string): void; reject(e: unknown): void } | undefined;
  const samlResponse = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may race it with other outcomes and stop listening; a late rejection must not go unhandled.
  samlResponse.catch(() => undefined);
  let done = false;
  const finish = (outcome: { value: string } | { error: unknown }): void => {
    if (done) return;
    done = true;
    if ("value" in outcome) settle?.resolve(outcome.value);
    else settle?.reject(outcome.error);
  };

  const pages = new Set<string>();
  let sawPage = false;
  cdp.on("Target.targetCreated", (p) => {
    const info = targetInfo(p);
    if (info?.type !== "page") return;
    pages.add(info.targetId);
    sawPage = true;
  });
  cdp.on("Target.targetDestroyed", (p) => {
    const id = (p as { targetId?: unknown } | undefined)?.targetId;
    if (typeof id !== "string" || !pages.delete(id)) return;
    if (sawPage && pages.size === 0) finish({ error: browserClosedError() });
  });
  cdp.onDisconnect(() => finish({ error: browserClosedError() }));

  cdp.on("Fetch.requestPaused", (p) => {
    const paused = pausedRequest(p);
    if (paused === undefined) return;
    const { requestId, request } = paused;
    if (request.method !== "POST" || !isAwsSignInEndpoint(request.url)) {
      // Only a CDP wildcard look-alike gets here: let it go on unchanged.
      cdp.send("Fetch.continueRequest", { requestId }).catch(() => undefined);
      return;
    }
    const saml = new URLSearchParams(postBody(request)).get("SAMLResponse") ?? "";
    const where = new URL(request.url);
    o.logger.debug(`browser: the sign-in posted to ${where.origin}${where.pathname}`);
    cdp
      .send("Fetch.fulfillRequest", {
        requestId,
        responseCode: 200,
        responseHeaders: [
          { name: "Content-Type", value: "text/html; charset=utf-8" },
          { name: "Cache-Control", value: "no-store" },
        ],
        body: Buffer.from(saml === "" ? EMPTY_POST_PAGE : DONE_PAGE).toString("base64"),
      })
      .catch((e: unknown) => o.logger.debug(`browser: could not answer the page: ${String(e)}`));
    if (saml !== "") {
      finish({ value: saml });
    } else {
      finish({
        error: new RunasError(
          "IDP_AUTH",
          `the sign-in posted to ${where.origin}${where.pathname} without a SAMLResponse; check that saml_auth_url is ` +
            "the IdP's sign-in URL of the AWS application",
        ),
      });
    }
  });

  await cdp.send("Target.setDiscoverTargets", { discover: true });
  await cdp.send("Fetch.enable", {
    patterns: AWS_SIGNIN_URL_PATTERNS.map((urlPattern) => ({ urlPattern, requestStage: "Request" })),
  });
  open(cdp, url).catch((e: unknown) => finish({ error: e }));
  return { samlResponse };
}

/** Navigates the browser's first tab to `url` (a new tab when there is none). */
async function open(cdp: CdpConnection, url: string): Promise<void> {
  const targets = (await cdp.send("Target.getTargets")) as { targetInfos?: unknown[] } | undefined;
  const page = (targets?.targetInfos ?? []).map(targetInfo).find((t) => t?.type === "page");
  if (page === undefined) {
    await cdp.send("Target.createTarget", { url });
    return;
  }
  const attached = (await cdp.send("Target.attachToTarget", { targetId: page.targetId, flatten: true })) as
    | { sessionId?: unknown }
    | undefined;
  const sessionId = attached?.sessionId;
  if (typeof sessionId !== "string") throw new RunasError("IDP_ERROR", "the browser did not let aws-runas open its tab");
  const nav = (await cdp.send("Page.navigate", { url }, sessionId)) as { errorText?: unknown } | undefined;
  await cdp.send("Target.detachFromTarget", { sessionId }).catch(() => undefined);
  // ERR_ABORTED is a navigation replaced by another one (an IdP redirecting by script): not a failure.
  if (typeof nav?.errorText === "string" && nav.errorText !== "" && nav.errorText !== "net::ERR_ABORTED") {
    const u = new URL(url);
    throw new RunasError(
      "IDP_ERROR",
      `the browser could not open ${u.origin}${u.pathname} (${nav.errorText}); check saml_auth_url and the network`,
    );
  }
}

function targetInfo(p: unknown): { targetId: string; type: string } | undefined {
  const info = (p as { targetInfo?: unknown } | undefined)?.targetInfo ?? p;
  const { targetId, type } = (info ?? {}) as { targetId?: unknown; type?: unknown };
  return typeof targetId === "string" && typeof type === "string" ? { targetId, type } : undefined;
}

interface PausedRequest {
  requestId: string;
  request: { url: string; method: string; postData?: string; postDataEntries?: { bytes?: string }[] };
}

function pausedRequest(p: unknown): PausedRequest | undefined {
  const { requestId, request } = (p ?? {}) as { requestId?: unknown; request?: unknown };
  const { url, method } = (request ?? {}) as { url?: unknown; method?: unknown };
  if (typeof requestId !== "string" || typeof url !== "string" || typeof method !== "string") return undefined;
  return { requestId, request: request as PausedRequest["request"] };
}

/** The form body: the base64 `postDataEntries` when present (complete for any size), else `postData`. */
function postBody(request: PausedRequest["request"]): string {
  const entries = Array.isArray(request.postDataEntries) ? request.postDataEntries : [];
  const parts = entries.map((e) => (typeof e.bytes === "string" ? Buffer.from(e.bytes, "base64") : Buffer.alloc(0)));
  if (parts.some((b) => b.length > 0)) return Buffer.concat(parts).toString("utf8");
  return typeof request.postData === "string" ? request.postData : "";
}
