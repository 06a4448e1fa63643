/**
 * The `browser` SAML provider (idp.md §9.1): aws-runas starts Chrome, Chromium or Edge on a profile of its own,
 * opens saml_auth_url in it, and lets the user sign in there with whatever the IdP's web pages ask for. Through the
 * DevTools protocol it takes the SAMLResponse the IdP makes the browser POST to an AWS sign-in endpoint (any
 * partition, §13 item 8), answers that POST itself, keeps the IdP's session cookies for the next run, and closes the
 * browser. SAML only: there is no OIDC client for this provider.
 */
import os from "node:os";
import path from "node:path";
import { isRunasError, RunasError } from "../../domain/errors.js";
import { configuredUrl } from "../clientConfig.js";
import { parseSamlAssertion } from "../samlAssertion.js";
import type { IdpDeps, IdpSettings, SamlClient } from "../types.js";
import { chooseBrowser } from "./browserChoice.js";
import { type CdpConnection, connectCdp } from "./cdpConnection.js";
import { type LaunchDeps, nodeLaunchDeps, type RunningBrowser, startBrowser } from "./launchBrowser.js";
import { keepSessionCookies } from "./sessionCookies.js";
import { browserClosedError, watchSignIn } from "./signInWatch.js";
import { nodeProfileSystem, prepareUserDataDir, type ProfileSystem } from "./userDataDir.js";

/** How long the user has to sign in. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** How long the browser gets to quit after Browser.close, then after SIGKILL. */
const CLOSE_GRACE_MS = 5_000;
const KILL_WAIT_MS = 3_000;

/** Where and how the browser runs; everything has a default for the real machine, tests replace it. */
export interface BrowserOptions {
  /** The directory of the AWS config file: the browser profile is its `.browser` folder. Default `<home>/.aws`. */
  awsConfigDir?: string;
  /** The user's home directory (default: the OS's), for ~/.aws and per-user browser installs. */
  homeDir?: string;
  platform?: NodeJS.Platform;
  /** How long the user has to sign in (5 minutes). */
  timeoutMs?: number;
  /** How long a started browser gets to open its DevTools port (30 s). */
  devToolsWaitMs?: number;
  /** How long the browser gets to quit after Browser.close before it is killed (5 s). */
  closeGraceMs?: number;
  launch?: LaunchDeps;
  profileSystem?: ProfileSystem;
  connect?(webSocketUrl: string): Promise<CdpConnection>;
}

/**
 * The `browser` SAML client. Every getAssertion runs one browser sign-in (there is nothing to reuse: the IdP session
 * lives in the browser profile). Every failure is one RunasError line; the SAMLResponse is never logged.
 */
export function browserSamlClient(s: IdpSettings, d: IdpDeps, o: BrowserOptions = {}): SamlClient {
  return {
    vendor: "browser",
    async getAssertion(signal?: AbortSignal) {
      if (aborted(signal)) throw cancelled(signal?.reason);
      const url = configuredUrl(s.url, "saml_auth_url");
      const platform = o.platform ?? process.platform;
      const home = o.homeDir ?? os.homedir();
      const userDataDir = path.join(o.awsConfigDir ?? d.configDir ?? path.join(home, ".aws"), ".browser");
      const launch = o.launch ?? nodeLaunchDeps();
      const timeoutMs = o.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
      try {
        await prepareUserDataDir(userDataDir, {
          system: o.profileSystem ?? nodeProfileSystem(platform),
          sleep: launch.sleep,
          logger: d.logger,
        });
        const choice = chooseBrowser({ authBrowser: s.authBrowser, platform, homeDir: home });
        const { browser, devToolsUrl } = await startBrowser(choice, userDataDir, {
          deps: launch,
          logger: d.logger,
          ...(o.devToolsWaitMs === undefined ? {} : { devToolsWaitMs: o.devToolsWaitMs }),
        });
        let cdp: CdpConnection | undefined;
        try {
          try {
            cdp = await (o.connect ?? connectCdp)(devToolsUrl);
          } catch (e) {
            throw new RunasError(
              "IDP_ERROR",
              `could not connect to ${browser.program} over DevTools (${e instanceof Error ? e.message : String(e)}); ` +
                "run aws-runas again",
              { cause: e },
            );
          }
          const watch = await watchSignIn(cdp, url.href, { logger: d.logger }).catch(async (e: unknown) => {
            // The browser went away while being set up: the connection error says less than this. Its exit may be
            // reported just after the connection dropped.
            if (!isRunasError(e)) await within(browser.exited, 1_000);
            throw browser.hasExited() && !isRunasError(e) ? browserClosedError() : e;
          });
          d.progress(`sign in in the browser window that opened; aws-runas waits up to ${duration(timeoutMs)}`);
          const saml = await firstOutcome(watch.samlResponse, browser, timeoutMs, signal);
          try {
            const kept = await keepSessionCookies(cdp, d.clock.now());
            d.logger.debug(`browser: kept ${kept} session cookie(s) for the next sign-in`);
          } catch (e) {
            d.logger.debug(`browser: could not keep the session cookies: ${e instanceof Error ? e.message : String(e)}`);
          }
          return parseSamlAssertion(saml);
        } finally {
          await closeBrowser(browser, cdp, o.closeGraceMs ?? CLOSE_GRACE_MS);
        }
      } catch (e) {
        if (isRunasError(e)) throw e;
        if (aborted(signal)) throw cancelled(e);
        throw new RunasError(
          "IDP_ERROR",
          `the browser sign-in failed (${e instanceof Error ? e.message : String(e)}); run aws-runas again`,
          { cause: e },
        );
      }
    },
  };
}

/** The SAMLResponse, or the error of whatever happened first: the browser gone, the time up, the caller gone. */
async function firstOutcome(
  samlResponse: Promise<string>,
  browser: RunningBrowser,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      samlResponse,
      browser.exited.then(() => Promise.reject(browserClosedError())),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new RunasError(
                "IDP_AUTH",
                `the sign-in did not reach AWS within ${duration(timeoutMs)}; run aws-runas again and sign in in the ` +
                  "browser window, and check that saml_auth_url is the IdP's sign-in URL of the AWS application",
              ),
            ),
          timeoutMs,
        );
      }),
      new Promise<never>((_, reject) => {
        if (signal === undefined) return;
        onAbort = () => reject(cancelled(signal.reason));
        signal.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Asks the browser to quit (so it writes the cookies to the profile), waits up to `graceMs`, then kills it and waits
 * a little more, as upstream did.
 */
async function closeBrowser(browser: RunningBrowser, cdp: CdpConnection | undefined, graceMs: number): Promise<void> {
  if (!browser.hasExited()) {
    // The answer to Browser.close may never come: the connection ends with the browser.
    cdp?.send("Browser.close").catch(() => undefined);
    await within(browser.exited, graceMs);
    if (!browser.hasExited()) {
      browser.kill();
      await within(browser.exited, KILL_WAIT_MS);
    }
  }
  await cdp?.close().catch(() => undefined);
}

async function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Read through a call: the signal may have been aborted while the sign-in ran. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function cancelled(cause: unknown): RunasError {
  return new RunasError("IDP_AUTH", "the browser sign-in was cancelled before it reached AWS", { cause });
}

/** "5 minutes", "90 s". */
function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? "1 minute" : `${ms / 60_000} minutes`;
  return `${Math.ceil(ms / 1000)} s`;
}
