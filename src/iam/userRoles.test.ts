import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RunasError } from "../domain/errors.js";
import { assumeRolePolicy, fakeIam, type IamModel } from "../../test/fakes/fakeIam.js";
import { memoryLogger } from "../../test/fakes/memoryLogger.js";
import { runasFailure } from "../../test/helpers/runasFailure.js";
import { listUserRoles } from "./userRoles.js";

const ACCOUNT = "arn:aws:iam::123456789012";
const role = (name: string) => `${ACCOUNT}:role/${name}`;
const SHARED = `${ACCOUNT}:policy/shared`;
const VERSIONED = `${ACCOUNT}:policy/versioned`;
const GROUP_MANAGED = `${ACCOUNT}:policy/group-managed`;

/** alice: two inline policies, two attached ones (one also attached to a group), two groups. */
function model(): IamModel {
  return {
    users: {
      alice: {
        inline: {
          first: assumeRolePolicy(role("Zeta"), role("Alpha")),
          second: assumeRolePolicy(role("Alpha"), `${ACCOUNT}:role/wild-*`),
        },
        attached: [SHARED, VERSIONED],
        groups: ["devs", "ops"],
      },
      loner: {},
    },
    groups: {
      devs: { inline: { dev: assumeRolePolicy(role("Dev")) }, attached: [SHARED, GROUP_MANAGED] },
      ops: { inline: { oncall: assumeRolePolicy(role("OnCall"), role("Dev")) } },
    },
    policies: {
      [SHARED]: { defaultVersion: "v1", versions: { v1: assumeRolePolicy(role("Shared")) } },
      [VERSIONED]: {
        defaultVersion: "v2",
        versions: { v1: assumeRolePolicy(role("OldVersion")), v2: assumeRolePolicy(role("NewVersion")) },
      },
      [GROUP_MANAGED]: { defaultVersion: "v3", versions: { v3: assumeRolePolicy(role("GroupManaged")) } },
    },
  };
}

describe("listUserRoles (core.md §6.1)", () => {
  it("scans the user's and its groups' inline and managed policies, every page, sorted and de-duplicated", async () => {
    const iam = fakeIam(model(), { pageSize: 1 });
    const logger = memoryLogger();
    const roles = await listUserRoles({ iam, userName: "alice", logger });
    assert.deepEqual(roles, ["Alpha", "Dev", "GroupManaged", "NewVersion", "OnCall", "Shared", "Zeta"].map(role));
    // Every list was read to its last page, and the managed policy attached twice was fetched once.
    assert.deepEqual([...iam.calls].sort(), [
      "GetGroupPolicy devs/dev",
      "GetGroupPolicy ops/oncall",
      `GetPolicy ${GROUP_MANAGED}`,
      `GetPolicy ${SHARED}`,
      `GetPolicy ${VERSIONED}`,
      `GetPolicyVersion ${GROUP_MANAGED} v3`,
      `GetPolicyVersion ${SHARED} v1`,
      `GetPolicyVersion ${VERSIONED} v2`,
      "GetUserPolicy alice/first",
      "GetUserPolicy alice/second",
      "ListAttachedGroupPolicies devs",
      "ListAttachedGroupPolicies devs",
      "ListAttachedGroupPolicies ops",
      "ListAttachedUserPolicies alice",
      "ListAttachedUserPolicies alice",
      "ListGroupPolicies devs",
      "ListGroupPolicies ops",
      "ListGroupsForUser alice",
      "ListGroupsForUser alice",
      "ListUserPolicies alice",
      "ListUserPolicies alice",
    ]);
    assert.ok(logger.lines.includes("DEBUG IAM user 'alice' is in groups devs, ops"), logger.lines.join("\n"));
    assert.ok(logger.lines.includes(`DEBUG found role ARN ${role("NewVersion")} in managed policy 'versioned' (${VERSIONED}), version v2`));
    assert.deepEqual(logger.lines.filter((l) => !l.startsWith("DEBUG")), []);
  });

  it("answers an empty list for a user without policies or groups", async () => {
    const iam = fakeIam(model());
    assert.deepEqual(await listUserRoles({ iam, userName: "loner", logger: memoryLogger() }), []);
    assert.deepEqual([...iam.calls].sort(), ["ListAttachedUserPolicies loner", "ListGroupsForUser loner", "ListUserPolicies loner"]);
  });

  it("skips a policy deleted between the list and the get, with a warning", async () => {
    const m = model();
    m.users.alice!.attached = [SHARED, `${ACCOUNT}:policy/deleted`];
    const logger = memoryLogger(false);
    const roles = await listUserRoles({ iam: fakeIam(m, { vanished: ["gone"] }), userName: "alice", logger });
    assert.ok(roles.includes(role("Shared")));
    assert.deepEqual(logger.lines.sort(), [
      `WARN inline policy 'gone' of user 'alice' no longer exists; skipped`,
      `WARN managed policy 'deleted' (${ACCOUNT}:policy/deleted) no longer exists; skipped`,
    ]);
  });

  it("logs an unreadable document at ERROR, naming the policy, and carries on", async () => {
    const m = model();
    m.users.alice!.inline = { broken: "%7BStatement", empty: "", ok: assumeRolePolicy(role("Ok")) };
    m.users.alice!.attached = [];
    m.users.alice!.groups = [];
    const logger = memoryLogger(false);
    assert.deepEqual(await listUserRoles({ iam: fakeIam(m), userName: "alice", logger }), [role("Ok")]);
    assert.equal(logger.lines.length, 2, logger.lines.join("\n"));
    assert.match(logger.lines[0] ?? "", /^ERROR inline policy 'broken' of user 'alice': error unmarshalling policy document json: /);
    assert.equal(logger.lines[1], "ERROR inline policy 'empty' of user 'alice': empty policy document");
  });

  it("fails with the call's error instead of printing a partial list", async () => {
    const denied = new RunasError("STS_ERROR", "AWS denied iam:ListAttachedGroupPolicies on group 'devs'");
    const failure = await runasFailure(listUserRoles({
      iam: fakeIam(model(), { fail: { ListAttachedGroupPolicies: denied } }),
      userName: "alice",
      logger: memoryLogger(),
    }));
    assert.deepEqual(failure, { code: "STS_ERROR", message: denied.message });
  });

  it("with several calls failing, reports the first in scan order, however the calls finish", async () => {
    const userDenied = new RunasError("STS_ERROR", "AWS denied iam:ListUserPolicies on user 'alice'");
    const groupDenied = new RunasError("STS_ERROR", "AWS denied iam:ListGroupsForUser on user 'alice'");
    for (const slow of [["ListUserPolicies"], ["ListGroupsForUser"]] as const) {
      const failure = await runasFailure(listUserRoles({
        iam: fakeIam(model(), { fail: { ListUserPolicies: userDenied, ListGroupsForUser: groupDenied }, slow: [...slow] }),
        userName: "alice",
        logger: memoryLogger(),
      }));
      assert.equal(failure.message, userDenied.message, `slow: ${slow.join()}`);
    }
  });
});
