import { isRunasError } from "../../src/domain/errors.js";

/** The code and message of the RunasError `p` rejects with; anything else (or no rejection) fails the test. */
export async function runasFailure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isRunasError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("nothing was thrown");
}
