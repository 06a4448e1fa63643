import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCookieJar } from "../../src/cache/cookieJar.js";
import { createFileLocker } from "../../src/cache/fileLocker.js";
import { createHttpSession, type HttpSession } from "../../src/idp/httpSession.js";
import type { CookieStore, Fetch, IdpDeps, IdpSettings } from "../../src/idp/types.js";
import type { Clock } from "../../src/ports.js";
import type { IdpFake } from "../fakes/idpFake.js";
import { memoryLogger } from "../fakes/memoryLogger.js";

/** The instant a harness's clock shows unless a test gives its own. */
export const HARNESS_NOW = new Date("2024-05-01T12:00:00Z");

/** What a vendor client was given and what it did to the user. */
export interface IdpHarness {
  d: IdpDeps;
  /** The client's HTTP session (what `d.fetch` sends through), e.g. for a federated sign-in sharing it. */
  session: HttpSession;
  /** The cookie jar under the session, e.g. to put a session cookie into it as a browser that signed in before. */
  cookies: CookieStore;
  /** Every prompt shown, in order. */
  prompts: string[];
  /** Every `d.progress` line, in order. */
  progress: string[];
  logger: ReturnType<typeof memoryLogger>;
}

export interface IdpHarnessOptions {
  /** Where the cookie jar file lives; harnesses given the same `dir` share it, as two runs share ~/.aws. */
  dir?: string;
  clock?: Clock;
  /** The network under the session (the platform's fetch by default), e.g. one that drops cookies. */
  send?: typeof globalThis.fetch;
  /** `d.fetch` itself, for a test that scripts the IdP's answers one by one: no session, no cookie jar in between. */
  fetch?: Fetch;
}

/** A new temp directory for a cookie jar, to give two harnesses that share it (two runs of aws-runas). */
export function jarDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
}

/**
 * Deps over a real HTTP session with a cookie jar in a temp directory, answering prompts (text and secret alike) from
 * `answers` in order; an Error among them is thrown instead, as a closed terminal does. A prompt beyond the answers,
 * or a browser being opened, fails the test.
 */
export function idpHarness(answers: (string | Error)[] = [], o: IdpHarnessOptions = {}): IdpHarness {
  const dir = o.dir ?? jarDir();
  const clock = o.clock ?? { now: () => HARNESS_NOW };
  const prompts: string[] = [];
  const progress: string[] = [];
  const logger = memoryLogger();
  const cookies = createCookieJar({
    file: path.join(dir, ".aws_runas.cookies"),
    clock,
    logger,
    locker: createFileLocker({ maxWaitMs: 2000 }),
  });
  const answer = async (message: string): Promise<string> => {
    prompts.push(message);
    const next = answers.shift();
    if (next === undefined) assert.fail(`unexpected prompt ${JSON.stringify(message)}`);
    if (next instanceof Error) throw next;
    return next;
  };
  const session = createHttpSession({ cookies, fetch: o.send ?? globalThis.fetch, logger });
  const d: IdpDeps = {
    fetch: o.fetch ?? session.fetch,
    prompter: { text: answer, secret: answer },
    clock,
    logger,
    progress: (line) => progress.push(line),
    openBrowser: async (url) => assert.fail(`unexpected browser opened at ${url}`),
  };
  return { d, session, cookies, prompts, progress, logger };
}

/**
 * Settings for the SAML and OIDC clients of the fake `fake()` gives (a function: the fake starts in a `before` hook):
 * its URLs and OIDC client, mfa_type auto and `user`'s name and password; `extra` overrides any of them.
 */
export function fakeSettings(
  fake: () => Pick<IdpFake, "samlUrl" | "oidcUrl" | "clientId" | "redirectUri">,
  user: { username: string; password: string },
): { saml(extra?: Partial<IdpSettings>): IdpSettings; oidc(extra?: Partial<IdpSettings>): IdpSettings } {
  const saml = (extra: Partial<IdpSettings> = {}): IdpSettings => ({ url: fake().samlUrl, mfaType: "auto", ...user, ...extra });
  const oidc = (extra: Partial<IdpSettings> = {}): IdpSettings => {
    const f = fake();
    return { ...saml(), url: f.oidcUrl, clientId: f.clientId, redirectUri: f.redirectUri, ...extra };
  };
  return { saml, oidc };
}
