import { RunasError } from "../domain/errors.js";
import type { Prompter } from "../ports.js";
import { AuthenticationRequired } from "./contracts.js";

/**
 * The prompter of profiles chosen in the web page (core.md §9.3 step 4, §9.6): instead of asking on the server's
 * terminal, a question becomes AuthenticationRequired, which the routes answer with 401 and the page's MFA or
 * username/password dialog; the answer comes back through POST /mfa or /auth. `username` is the name already known,
 * prefilled in the dialog. A question the page has no dialog for is a clear error pointing at --headless.
 */
export function browserPrompter(username: () => string): Prompter {
  return {
    text: (message) => {
      if (/user ?name/i.test(message)) return Promise.reject(new AuthenticationRequired("AUTH", username()));
      if (/\b(mfa|code|otp|passcode)\b/i.test(message)) return Promise.reject(new AuthenticationRequired("MFA"));
      return Promise.reject(
        new RunasError(
          "IDP_AUTH",
          `the sign-in asks "${message.trim().replace(/:$/, "")}", which the web page cannot answer: start the server ` +
            "with --headless to answer on its terminal",
        ),
      );
    },
    secret: () => Promise.reject(new AuthenticationRequired("AUTH", username())),
  };
}

/**
 * The server's terminal shared by every profile that prompts there (--headless, and the initial profile): one
 * question at a time, so two sign-ins never interleave their prompts and answers.
 */
export function serializedPrompter(terminal: Prompter): Prompter {
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(ask: () => Promise<T>): Promise<T> => {
    const turn = queue.then(ask, ask);
    queue = turn.catch(() => undefined);
    return turn;
  };
  return {
    text: (message) => inTurn(() => terminal.text(message)),
    secret: (message) => inTurn(() => terminal.secret(message)),
  };
}

/**
 * The STS MFA code of one profile's provider in a long-running server: `given` (an MFA code handed over once), else
 * asked through `prompter` every time STS needs one. Unlike the CLI's once-per-process answer (providers/mfaCode.ts),
 * a code is never reused by a later refresh, where STS would refuse it.
 */
export function serveMfaCode(given: string | undefined, prompter: Prompter): (serial: string) => Promise<string> {
  return async (serial) => {
    if (given !== undefined && given !== "") return given;
    const code = (await prompter.text("MFA token code: ")).trim().split(/\s+/)[0] ?? "";
    if (code === "") {
      throw new RunasError("MFA_REQUIRED", `an MFA code is required for ${serial}: type the code when asked`);
    }
    return code;
  };
}
