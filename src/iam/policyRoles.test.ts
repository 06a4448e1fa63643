import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { roleArnVerdict, rolesInPolicy } from "./policyRoles.js";

/** URL-encodes a document the way IAM returns it (RFC 3986: spaces as %20). */
function iamEncoded(doc: unknown): string {
  return encodeURIComponent(JSON.stringify(doc, null, 2));
}

/** Upstream's identity test fixture (core.md §6.1), raw JSON as the original's mock returned it. */
const UPSTREAM_FIXTURE = [
  `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111111111:role/p1"}]}`,
  `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
    "Resource": ["arn:aws:iam::222222222:role/p2a", "arn:aws:iam::222222222:role/p2b"]}]}`,
  `{"Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "s3:*"],
    "Resource": ["arn:aws:iam::333333333:role/p3y", "arn:aws:s3:::my-bucket", "arn:aws:iam::333333333:role/p3z"]}]}`,
  `{"Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": "arn:aws:iam::444444444:role/p4"}]}`,
  `{"Statement": [{"Effect": "None"}, {"Effect": "Deny", "Action": "sts:AssumeRole"}]}`,
  `{"Statement": [
    {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": "arn:aws:iam::666666666:role/p6"},
    {"Effect": "Deny", "Action": ["sts:AssumeRole"], "Resource": "arn:aws:iam::666666666:role/Administrator"},
    {"Effect": "Allow", "Action": "sts:AssumeRole",
     "Resource": ["arn:aws:iam::666666666:role/p6a", "arn:aws:iam::666666666:role/p6b"]}]}`,
  `{"Statement": []}`,
  ``,
  `{Statement: []}`,
];

describe("rolesInPolicy (core.md §6.1)", () => {
  it("finds exactly upstream's nine roles in upstream's fixture, with the empty and the invalid document reported", () => {
    const scans = UPSTREAM_FIXTURE.map(rolesInPolicy);
    assert.deepEqual([...new Set(scans.flatMap((s) => s.roles))].sort(), [
      "arn:aws:iam::111111111:role/p1",
      "arn:aws:iam::222222222:role/p2a",
      "arn:aws:iam::222222222:role/p2b",
      "arn:aws:iam::333333333:role/p3y",
      "arn:aws:iam::333333333:role/p3z",
      "arn:aws:iam::444444444:role/p4",
      "arn:aws:iam::666666666:role/p6",
      "arn:aws:iam::666666666:role/p6a",
      "arn:aws:iam::666666666:role/p6b",
    ]);
    assert.deepEqual(scans.map((s) => s.problems.length), [0, 0, 0, 0, 0, 0, 0, 1, 1]);
    assert.deepEqual(scans[7]?.problems, ["empty policy document"]);
    assert.match(scans[8]?.problems[0] ?? "", /^error unmarshalling policy document json: /);
  });

  it("reads the URL-encoded documents IAM returns, keeping a '+' of a role name", () => {
    const doc = {
      Version: "2012-10-17",
      Statement: [{ Sid: "two words", Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::123456789012:role/a+b" }],
    };
    assert.deepEqual(rolesInPolicy(iamEncoded(doc)), { roles: ["arn:aws:iam::123456789012:role/a+b"], problems: [] });
    // Encoded with '+' left as it is (RFC 3986 allows it): still a '+', where upstream's form decoding made a space.
    const plusKept = iamEncoded(doc).replace(/%2B/g, "+");
    assert.deepEqual(rolesInPolicy(plusKept).roles, ["arn:aws:iam::123456789012:role/a+b"]);
  });

  it("falls back to form decoding ('+' as a space) when percent-decoding does not give JSON", () => {
    const formEncoded = new URLSearchParams({ d: JSON.stringify(
      { Statement: { Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::1:role/r" } }, null, 1,
    ) }).toString().slice(2);
    assert.ok(formEncoded.includes("+"), "the fixture must contain form-encoded spaces");
    assert.deepEqual(rolesInPolicy(formEncoded), { roles: ["arn:aws:iam::1:role/r"], problems: [] });
  });

  it("reports a document that cannot be unescaped, or is not a JSON object", () => {
    assert.match(rolesInPolicy("%7B%ZZ").problems[0] ?? "", /^error unescaping policy document: /);
    assert.deepEqual(rolesInPolicy("[1, 2]").problems, ["policy document is not a JSON object"]);
    assert.deepEqual(rolesInPolicy("   ").problems, ["empty policy document"]);
  });

  it("takes Statement as one object, and Action and Resource as a string or a list", () => {
    const doc = {
      Statement: { Effect: "Allow", Action: ["ec2:*", "sts:AssumeRole"], Resource: ["arn:aws:iam::1:role/x", "arn:aws:iam::1:role/y"] },
    };
    assert.deepEqual(rolesInPolicy(iamEncoded(doc)).roles, ["arn:aws:iam::1:role/x", "arn:aws:iam::1:role/y"]);
  });

  it("matches only the exact action sts:AssumeRole with Effect Allow, as upstream (no wildcards, no NotAction)", () => {
    const statements = [
      { Effect: "Allow", Action: "sts:assumerole", Resource: "arn:aws:iam::1:role/lower" },
      { Effect: "Allow", Action: "sts:*", Resource: "arn:aws:iam::1:role/sts-star" },
      { Effect: "Allow", Action: "*", Resource: "arn:aws:iam::1:role/star" },
      { Effect: "Allow", NotAction: "s3:*", Resource: "arn:aws:iam::1:role/not-action" },
      { Effect: "allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::1:role/lower-effect" },
      { Effect: "Deny", Action: "sts:AssumeRole", Resource: "arn:aws:iam::1:role/denied" },
      { Effect: "Allow", Action: "sts:AssumeRoleWithSAML", Resource: "arn:aws:iam::1:role/saml" },
      { Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::1:role/kept", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
      "not a statement",
    ];
    assert.deepEqual(rolesInPolicy(JSON.stringify({ Statement: statements })), { roles: ["arn:aws:iam::1:role/kept"], problems: [] });
  });

  it("leaves out wildcards and ARNs that are not roles; a resource that is no ARN is reported", () => {
    const doc = {
      Statement: [{
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: [
          "*",
          "arn:aws:iam::1:role/ops-*",
          "arn:aws:iam::1:role/dev?",
          "arn:aws:iam::*:role/any-account",
          "arn:aws:iam::1:user/bob",
          "arn:aws:s3:::bucket",
          "arn:aws:iam::1:role/path/to/Exact",
          "arn:aws-us-gov:iam::2:role/Gov",
          "not-an-arn",
          42,
        ],
      }],
    };
    assert.deepEqual(rolesInPolicy(iamEncoded(doc)), {
      roles: ["arn:aws:iam::1:role/path/to/Exact", "arn:aws-us-gov:iam::2:role/Gov"],
      problems: ["resource 'not-an-arn' is not an ARN"],
    });
  });
});

describe("roleArnVerdict", () => {
  const cases: [string, ReturnType<typeof roleArnVerdict>][] = [
    ["arn:aws:iam::123456789012:role/Admin", "role"],
    ["arn:aws-cn:iam::123456789012:role/a/b/c", "role"],
    ["*", "wildcard"],
    ["arn:aws:iam::123456789012:role/*", "wildcard"],
    ["arn:aws:iam::123456789012:role/Ad?in", "wildcard"],
    ["arn:aws:iam::123456789012:policy/p", "other-arn"],
    ["arn:aws:sts::123456789012:assumed-role/R/s", "other-arn"],
    ["arn:aws:iam::123456789012", "not-an-arn"],
    ["role/Admin", "not-an-arn"],
  ];
  for (const [resource, verdict] of cases) {
    it(`${resource} → ${verdict}`, () => assert.equal(roleArnVerdict(resource), verdict));
  }
});
