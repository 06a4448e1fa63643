import { RunasError } from "../domain/errors.js";
import type { Prompter } from "../ports.js";

/** Supplies the code for an MFA device; called only when an STS call needs one. */
export type MfaCodeSource = (serial: string) => Promise<string>;

/**
 * The code from `-o` / MFA_CODE when given, else asked on the terminal (core.md §3.9). A prompted code is read once
 * per process: every call needing MFA in one run shares it. An empty answer is an error rather than a call that STS
 * would reject anyway.
 */
export function mfaCodeSource(given: string | undefined, prompter: Prompter): MfaCodeSource {
  let answer: Promise<string> | undefined;
  return async (serial) => {
    if (given !== undefined && given !== "") return given;
    answer ??= prompter.text("MFA token code: ").then((code) => {
      const trimmed = code.trim().split(/\s+/)[0] ?? "";
      if (trimmed === "") {
        throw new RunasError("MFA_REQUIRED",
          `an MFA code is required for ${serial}: type the code when asked, or pass it with -o <code> (or MFA_CODE)`);
      }
      return trimmed;
    });
    return answer;
  };
}

/** The MFA parameters of an STS call for `serial`, asking for the code only when a serial is configured. */
export async function mfaParams(
  serial: string | undefined,
  code: MfaCodeSource,
): Promise<{ serialNumber: string; tokenCode: string } | undefined> {
  return serial === undefined ? undefined : { serialNumber: serial, tokenCode: await code(serial) };
}
