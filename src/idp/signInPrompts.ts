import { RunasError } from "../domain/errors.js";
import type { Clock, Prompter } from "../ports.js";

const MAX_CODE_ATTEMPTS = 5;
const MAX_PASSWORD_ATTEMPTS = 3;
const PUSH_DEADLINE_MS = 120_000;
const PUSH_INTERVAL_MS = 2_000;

/**
 * Username and password, prompting (`Username: ` / `Password: ` on the terminal via the Prompter) only for what is
 * missing (idp.md §1.2, §3.2). An empty answer is an error here rather than a sign-in the IdP would reject, since
 * a rejected password may count towards the account's lockout.
 */
export async function gatherCredentials(
  s: { username?: string; password?: string },
  prompter: Prompter,
): Promise<{ username: string; password: string }> {
  let username = s.username ?? "";
  if (username === "") {
    username = (await prompter.text("Username: ")).trim();
    if (username === "") {
      throw new RunasError(
        "IDP_AUTH",
        "no username given; type it when asked, or set saml_username / web_identity_username (or -U)",
      );
    }
  }
  let password = s.password ?? "";
  if (password === "") {
    password = await prompter.secret("Password: ");
    if (password === "") {
      throw new RunasError(
        "IDP_AUTH",
        "no password given; type it when asked, or store it with aws-runas password <profile>",
      );
    }
  }
  return { username, password };
}

/**
 * Runs `attempt` with an MFA code: first the -o / MFA_CODE code, then codes prompted as `<factor> MFA token code: `.
 * A rejected code asks again, at most 5 codes in all (upstream asked forever, idp.md §13.1); an empty answer counts
 * as one. `progress` (stderr) says why the prompt comes back.
 */
export async function withMfaCode<T>(o: {
  factor?: string;
  given?: string;
  prompter: Prompter;
  attempt: (code: string) => Promise<T | "rejected">;
  maxAttempts?: number;
  progress?: (line: string) => void;
}): Promise<T> {
  const max = o.maxAttempts ?? MAX_CODE_ATTEMPTS;
  const prompt = `${o.factor === undefined || o.factor === "" ? "" : `${o.factor} `}MFA token code: `;
  let given = o.given?.trim() ?? "";
  for (let n = 1; n <= max; n++) {
    const code = given !== "" ? given : (await o.prompter.text(prompt)).trim();
    given = "";
    if (code !== "") {
      const result = await o.attempt(code);
      if (result !== "rejected") return result;
    }
    if (n < max) o.progress?.(code === "" ? "no MFA code given, try again" : "the MFA code was rejected, try again");
  }
  throw new RunasError(
    "IDP_MFA",
    `MFA failed: ${max} codes were rejected; check the device (and its clock) and run aws-runas again`,
  );
}

/**
 * Polls `check` every `intervalMs` (2 s) until it yields a value; a push not approved within `deadlineMs` (2 minutes)
 * or rejected is an error (upstream polled forever and took a rejection for success, idp.md §13.1, §13.3).
 */
export async function waitForPush<T>(o: {
  check: () => Promise<T | "pending" | "rejected">;
  intervalMs?: number;
  deadlineMs?: number;
  clock: Clock;
  progress: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}): Promise<T> {
  const interval = o.intervalMs ?? PUSH_INTERVAL_MS;
  const deadline = o.deadlineMs ?? PUSH_DEADLINE_MS;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const start = o.clock.now().getTime();
  o.progress("waiting for push approval…");
  for (;;) {
    const state = await o.check();
    if (state === "rejected") {
      throw new RunasError("IDP_MFA", "the push was rejected; run aws-runas again to get a new one");
    }
    if (state !== "pending") return state;
    const left = deadline - (o.clock.now().getTime() - start);
    if (left <= 0) {
      throw new RunasError(
        "IDP_MFA",
        `push not approved within ${span(deadline)}; ` +
          "run aws-runas again, or set mfa_type = code to type a code instead",
      );
    }
    await sleep(Math.min(interval, left));
  }
}

/**
 * Runs a password sign-in at most 3 times, asking for the password again after each rejection (upstream retried
 * forever, idp.md §13.1, risking the account's lockout).
 */
export async function withPasswordAttempts<T>(o: {
  username: string;
  password: string;
  prompter: Prompter;
  attempt: (username: string, password: string) => Promise<T | "rejected">;
  maxAttempts?: number;
  progress?: (line: string) => void;
}): Promise<T> {
  const max = o.maxAttempts ?? MAX_PASSWORD_ATTEMPTS;
  let password = o.password;
  for (let n = 1; ; n++) {
    // An empty answer to the prompt is counted without being sent: the IdP would only reject it.
    if (password !== "") {
      const result = await o.attempt(o.username, password);
      if (result !== "rejected") return result;
    }
    if (n >= max) break;
    o.progress?.(
      password === "" ? "no password given, try again" : `the password for ${o.username} was rejected, try again`,
    );
    password = await o.prompter.secret("Password: ");
  }
  throw new RunasError(
    "IDP_AUTH",
    `sign-in failed: the password for ${o.username} was rejected ${max} times; check the username and password ` +
      "(aws-runas password <profile> replaces a stored one)",
  );
}

/** "2 minutes", "1 minute", "90 seconds". */
function span(ms: number): string {
  if (ms % 60_000 === 0) {
    const minutes = ms / 60_000;
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  const seconds = Math.round(ms / 1000);
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
