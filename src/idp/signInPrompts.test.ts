import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRunasError } from "../domain/errors.js";
import type { Clock, Prompter } from "../ports.js";
import { gatherCredentials, waitForPush, withMfaCode, withPasswordAttempts } from "./signInPrompts.js";

/** Answers prompts from a script, in order, recording each prompt as `text:…` or `secret:…`. */
function scriptedPrompter(answers: string[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = (kind: string, message: string): Promise<string> => {
    asked.push(`${kind}:${message}`);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`no scripted answer for ${message}`);
    return Promise.resolve(answer);
  };
  return { asked, text: (m) => next("text", m), secret: (m) => next("secret", m) };
}

/** A clock that only moves when the code under test sleeps. */
function sleepingClock(): { clock: Clock; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let now = Date.parse("2024-05-01T12:00:00Z");
  const slept: number[] = [];
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

/** The code and message of the RunasError a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isRunasError(e), `not a RunasError: ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  assert.fail("expected a rejection");
}

describe("gatherCredentials", () => {
  const cases: {
    name: string;
    given: { username?: string; password?: string };
    answers: string[];
    want: { username: string; password: string };
    asked: string[];
  }[] = [
    {
      name: "both given: no prompt",
      given: { username: "alice", password: "pw" },
      answers: [],
      want: { username: "alice", password: "pw" },
      asked: [],
    },
    {
      name: "password missing",
      given: { username: "alice" },
      answers: ["p w"],
      want: { username: "alice", password: "p w" },
      asked: ["secret:Password: "],
    },
    {
      name: "username missing, typed with spaces around",
      given: { password: "pw" },
      answers: ["  bob smith "],
      want: { username: "bob smith", password: "pw" },
      asked: ["text:Username: "],
    },
    {
      name: "both empty strings",
      given: { username: "", password: "" },
      answers: ["carol", "secret"],
      want: { username: "carol", password: "secret" },
      asked: ["text:Username: ", "secret:Password: "],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const prompter = scriptedPrompter([...c.answers]);
      assert.deepEqual(await gatherCredentials(c.given, prompter), c.want);
      assert.deepEqual(prompter.asked, c.asked);
    });
  }

  it("an empty username is an error", async () => {
    assert.deepEqual(await failure(gatherCredentials({}, scriptedPrompter([" "]))), {
      code: "IDP_AUTH",
      message: "no username given; type it when asked, or set saml_username / web_identity_username (or -U)",
    });
  });

  it("an empty password is an error, not a sign-in attempt", async () => {
    assert.deepEqual(await failure(gatherCredentials({ username: "alice" }, scriptedPrompter([""]))), {
      code: "IDP_AUTH",
      message: "no password given; type it when asked, or store it with aws-runas password <profile>",
    });
  });
});

describe("withMfaCode", () => {
  /** An attempt that accepts only `good`, recording every code it is given. */
  function acceptOnly(good: string): { tried: string[]; attempt: (code: string) => Promise<string> } {
    const tried: string[] = [];
    return {
      tried,
      attempt: async (code) => {
        tried.push(code);
        return code === good ? `session for ${code}` : "rejected";
      },
    };
  }

  it("uses the given code first, without prompting", async () => {
    const prompter = scriptedPrompter([]);
    const a = acceptOnly("123456");
    assert.equal(await withMfaCode({ given: "123456", prompter, attempt: a.attempt }), "session for 123456");
    assert.deepEqual(prompter.asked, []);
    assert.deepEqual(a.tried, ["123456"]);
  });

  it("prompts after the given code is rejected, with the factor name", async () => {
    const prompter = scriptedPrompter([" 54321 "]);
    const progress: string[] = [];
    const a = acceptOnly("54321");
    const got = await withMfaCode({
      factor: "Google Authenticator",
      given: "543210",
      prompter,
      attempt: a.attempt,
      progress: (l) => progress.push(l),
    });
    assert.equal(got, "session for 54321");
    assert.deepEqual(prompter.asked, ["text:Google Authenticator MFA token code: "]);
    assert.deepEqual(a.tried, ["543210", "54321"]);
    assert.deepEqual(progress, ["the MFA code was rejected, try again"]);
  });

  it("gives up after 5 codes, counting an empty answer without sending it", async () => {
    const prompter = scriptedPrompter(["1", "", "3", "4", "5", "6"]);
    const progress: string[] = [];
    const a = acceptOnly("6");
    assert.deepEqual(
      await failure(withMfaCode({ prompter, attempt: a.attempt, progress: (l) => progress.push(l) })),
      {
        code: "IDP_MFA",
        message: "MFA failed: 5 codes were rejected; check the device (and its clock) and run aws-runas again",
      },
    );
    assert.deepEqual(prompter.asked, Array(5).fill("text:MFA token code: "));
    assert.deepEqual(a.tried, ["1", "3", "4", "5"]);
    assert.deepEqual(progress, [
      "the MFA code was rejected, try again",
      "no MFA code given, try again",
      "the MFA code was rejected, try again",
      "the MFA code was rejected, try again",
    ]);
  });

  it("honours maxAttempts", async () => {
    const a = acceptOnly("never");
    assert.deepEqual(
      await failure(withMfaCode({ given: "1", prompter: scriptedPrompter(["2"]), attempt: a.attempt, maxAttempts: 2 })),
      { code: "IDP_MFA", message: "MFA failed: 2 codes were rejected; check the device (and its clock) and run aws-runas again" },
    );
    assert.deepEqual(a.tried, ["1", "2"]);
  });

  it("lets an attempt's own error through at once", async () => {
    const prompter = scriptedPrompter([]);
    await assert.rejects(
      withMfaCode({ given: "1", prompter, attempt: async () => Promise.reject(new Error("HTTP 500")) }),
      { message: "HTTP 500" },
    );
  });
});

describe("waitForPush", () => {
  it("polls until approved, announcing the wait once", async () => {
    const t = sleepingClock();
    const states: ("pending" | "rejected" | string)[] = ["pending", "pending", "token"];
    const progress: string[] = [];
    const got = await waitForPush({
      check: async () => states.shift() ?? "pending",
      intervalMs: 1250,
      clock: t.clock,
      sleep: t.sleep,
      progress: (l) => progress.push(l),
    });
    assert.equal(got, "token");
    assert.deepEqual(t.slept, [1250, 1250]);
    assert.deepEqual(progress, ["waiting for push approval…"]);
  });

  it("a rejected push is an error", async () => {
    const t = sleepingClock();
    const states = ["pending", "rejected"] as const;
    let i = 0;
    assert.deepEqual(
      await failure(
        waitForPush({ check: async () => states[i++] ?? "pending", clock: t.clock, sleep: t.sleep, progress: () => {} }),
      ),
      { code: "IDP_MFA", message: "the push was rejected; run aws-runas again to get a new one" },
    );
    assert.deepEqual(t.slept, [2000]);
  });

  it("gives up after 2 minutes by default, checking one last time at the deadline", async () => {
    const t = sleepingClock();
    let checks = 0;
    const got = await failure(
      waitForPush({
        check: async () => {
          checks++;
          return "pending";
        },
        intervalMs: 50_000,
        clock: t.clock,
        sleep: t.sleep,
        progress: () => {},
      }),
    );
    assert.deepEqual(got, {
      code: "IDP_MFA",
      message: "push not approved within 2 minutes; run aws-runas again, or set mfa_type = code to type a code instead",
    });
    assert.deepEqual(t.slept, [50_000, 50_000, 20_000]);
    assert.equal(checks, 4);
  });

  it("names a custom deadline in seconds", async () => {
    const t = sleepingClock();
    const got = await failure(
      waitForPush({ check: async () => "pending", deadlineMs: 90_000, clock: t.clock, sleep: t.sleep, progress: () => {} }),
    );
    assert.equal(
      got.message,
      "push not approved within 90 seconds; run aws-runas again, or set mfa_type = code to type a code instead",
    );
  });
});

describe("withPasswordAttempts", () => {
  it("returns the first accepted sign-in without prompting", async () => {
    const prompter = scriptedPrompter([]);
    const got = await withPasswordAttempts({
      username: "alice",
      password: "good",
      prompter,
      attempt: async (u, p) => (p === "good" ? `token for ${u}` : "rejected"),
    });
    assert.equal(got, "token for alice");
    assert.deepEqual(prompter.asked, []);
  });

  it("asks for the password again after a rejection", async () => {
    const prompter = scriptedPrompter(["good"]);
    const tried: string[] = [];
    const progress: string[] = [];
    const got = await withPasswordAttempts({
      username: "alice",
      password: "stale",
      prompter,
      attempt: async (u, p) => {
        tried.push(`${u}/${p}`);
        return p === "good" ? "ok" : "rejected";
      },
      progress: (l) => progress.push(l),
    });
    assert.equal(got, "ok");
    assert.deepEqual(tried, ["alice/stale", "alice/good"]);
    assert.deepEqual(prompter.asked, ["secret:Password: "]);
    assert.deepEqual(progress, ["the password for alice was rejected, try again"]);
  });

  it("stops after 3 attempts; an empty answer counts without being sent", async () => {
    const prompter = scriptedPrompter(["", "bad2", "never asked"]);
    const tried: string[] = [];
    const got = await failure(
      withPasswordAttempts({
        username: "alice",
        password: "bad1",
        prompter,
        attempt: async (_u, p) => {
          tried.push(p);
          return "rejected";
        },
      }),
    );
    assert.deepEqual(got, {
      code: "IDP_AUTH",
      message:
        "sign-in failed: the password for alice was rejected 3 times; check the username and password " +
        "(aws-runas password <profile> replaces a stored one)",
    });
    assert.deepEqual(tried, ["bad1", "bad2"]);
    assert.deepEqual(prompter.asked, ["secret:Password: ", "secret:Password: "]);
  });

  it("honours maxAttempts", async () => {
    const prompter = scriptedPrompter([]);
    let calls = 0;
    const got = await failure(
      withPasswordAttempts({
        username: "bob",
        password: "x",
        prompter,
        maxAttempts: 1,
        attempt: async () => {
          calls++;
          return "rejected";
        },
      }),
    );
    assert.equal(got.code, "IDP_AUTH");
    assert.equal(calls, 1);
    assert.deepEqual(prompter.asked, []);
  });
});
