import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import { parseSamlAssertion } from "./samlAssertion.js";
import { roleNotInAssertion } from "./roleNotInAssertion.js";
import type { RolePair } from "./types.js";

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const FOUR_MINUTES = 4 * 60 * 1000;
const EPOCH = new Date(0);

/** An RFC 3339 timestamp to the second, as Go's time.RFC3339 formats it. */
const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

const isSamlInvalid = (e: unknown): boolean => e instanceof RunasError && e.code === "SAML_INVALID";

const ACCOUNT = "123456789012";
const role = (name: string, partition = "aws"): string => `arn:${partition}:iam::${ACCOUNT}:role/${name}`;
const provider = (name: string, partition = "aws"): string => `arn:${partition}:iam::${ACCOUNT}:saml-provider/${name}`;

/**
 * A SAMLResponse as IdPs write it. `p` is the assertion namespace prefix ("" for a default namespace), so the same
 * document can be written with saml:, saml2:, ns2: or no prefix.
 */
function samlResponse(o: {
  p?: string;
  issueInstant?: string | undefined;
  roles?: string[];
  sessionName?: string;
  duration?: string;
  extraAttributes?: string;
}): string {
  const p = o.p ?? "saml";
  const q = p === "" ? "" : `${p}:`;
  const ns = p === "" ? `xmlns="urn:oasis:names:tc:SAML:2.0:assertion"` : `xmlns:${p}="urn:oasis:names:tc:SAML:2.0:assertion"`;
  const issue = "issueInstant" in o ? o.issueInstant : "2024-05-01T12:00:00Z";
  const attr = (name: string, values: string[]): string =>
    `<${q}Attribute Name="https://aws.amazon.com/SAML/Attributes/${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">` +
    values.map((v) => `<${q}AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${v}</${q}AttributeValue>`).join("\n") +
    `</${q}Attribute>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2000-01-01T00:00:00Z">
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <${q}Assertion ${ns} ID="_a1" Version="2.0"${issue === undefined ? "" : ` IssueInstant="${issue}"`}>
    <${q}Issuer>urn:test:idp</${q}Issuer>
    <${q}AttributeStatement>
      ${o.roles === undefined ? "" : attr("Role", o.roles)}
      ${o.sessionName === undefined ? "" : attr("RoleSessionName", [o.sessionName])}
      ${o.duration === undefined ? "" : attr("SessionDuration", [o.duration])}
      ${o.extraAttributes ?? ""}
    </${q}AttributeStatement>
  </${q}Assertion>
</samlp:Response>`;
}

interface Parsed {
  roles: RolePair[];
  roleSessionName: string | undefined;
  sessionDuration: number | undefined;
  expiresAt: string;
}

function parsed(text: string): Parsed {
  const a = parseSamlAssertion(b64(text));
  return {
    roles: a.roles(),
    roleSessionName: a.roleSessionName(),
    sessionDuration: a.sessionDuration(),
    expiresAt: a.expiresAt().toISOString(),
  };
}

describe("parseSamlAssertion: decoding (idp.md §10.1, §15 cases 16, 22, 25)", () => {
  const bad: [string, string][] = [
    ["empty", ""],
    ["plain text (upstream's 'my mock saml assertion')", "my mock saml assertion"],
    ["'invalid saml'", "invalid saml"],
    ["missing padding", "YWI"],
    ["URL-safe alphabet", "a-b_"],
    ["only line breaks", "\r\n"],
    ["padding in the middle", "YQ==YWJj"],
  ];
  for (const [name, input] of bad) {
    it(`rejects ${name} with SAML_INVALID`, () => {
      assert.throws(() => parseSamlAssertion(input), isSamlInvalid);
    });
  }

  it("says what is wrong and what to check, in one line", () => {
    assert.throws(
      () => parseSamlAssertion(""),
      (e: unknown) =>
        e instanceof RunasError &&
        e.message === "invalid saml assertion: the identity provider returned an empty SAMLResponse; check saml_auth_url",
    );
    assert.throws(
      () => parseSamlAssertion("my mock saml assertion"),
      (e: unknown) =>
        e instanceof RunasError &&
        e.message ===
          "invalid saml assertion: the SAMLResponse is not base64; check that saml_auth_url is the identity provider's AWS application",
    );
  });

  it("accepts base64 wrapped with CR/LF and keeps the input exactly as given", () => {
    const text = samlResponse({ roles: [`${role("Dev")},${provider("Idp")}`] });
    const wrapped = (b64(text).match(/.{1,76}/g) ?? []).join("\r\n");
    const a = parseSamlAssertion(wrapped);
    assert.equal(a.base64, wrapped);
    assert.deepEqual(a.roles(), [{ role: role("Dev"), principal: provider("Idp") }]);
  });

  it("decodes text that is not SAML at all to no roles, no error (§15 case 22)", () => {
    assert.deepEqual(parsed("my mock saml assertion"), {
      roles: [],
      roleSessionName: undefined,
      sessionDuration: undefined,
      expiresAt: EPOCH.toISOString(),
    });
  });
});

describe("parseSamlAssertion: upstream's text fixtures (idp.md §10.2–10.5, §15 cases 21, 23, 24)", () => {
  it("reads role,provider and provider,role pairs from the two-line fixture (§15 case 21)", () => {
    const fixture = `
<someTag>arn:aws:iam::01234567890:role/mockRole1,arn:aws:iam::01234567890:saml-provider/mockPrincipal1</someTag>
<someTag>arn:aws:iam::01234567890:saml-provider/mockPrincipal2,arn:aws:iam::01234567890:role/mockRole2</someTag>
`;
    assert.deepEqual(parseSamlAssertion(b64(fixture)).roles(), [
      { role: "arn:aws:iam::01234567890:role/mockRole1", principal: "arn:aws:iam::01234567890:saml-provider/mockPrincipal1" },
      { role: "arn:aws:iam::01234567890:role/mockRole2", principal: "arn:aws:iam::01234567890:saml-provider/mockPrincipal2" },
    ]);
  });

  it("reads the mock provider's canned one-role text", () => {
    const text = ">arn:aws:iam::123:role/role1,arn:aws:iam::123:saml-provider/mock<";
    assert.deepEqual(parseSamlAssertion(b64(text)).roles(), [
      { role: "arn:aws:iam::123:role/role1", principal: "arn:aws:iam::123:saml-provider/mock" },
    ]);
  });

  it("extends the text fallback to every partition, paths and spaces around the comma", () => {
    const text = [
      `<v>${role("gov/Admin", "aws-us-gov")} , ${provider("GovIdp", "aws-us-gov")}</v>`,
      `<v>${provider("CnIdp", "aws-cn")},${role("managed-role/Reader", "aws-cn")}</v>`,
      `<v>arn:other:iam::1:role/x,arn:other:iam::1:saml-provider/y</v>`,
      `<v>${role("A")},${role("B")}</v>`,
    ].join("\n");
    assert.deepEqual(parseSamlAssertion(b64(text)).roles(), [
      { role: role("gov/Admin", "aws-us-gov"), principal: provider("GovIdp", "aws-us-gov") },
      { role: role("managed-role/Reader", "aws-cn"), principal: provider("CnIdp", "aws-cn") },
    ]);
  });

  it("keeps the last principal for a role named twice, in the place the role first appeared", () => {
    const text = `<v>${role("A")},${provider("One")}</v><v>${role("B")},${provider("One")}</v><v>${role("A")},${provider("Two")}</v>`;
    assert.deepEqual(parseSamlAssertion(b64(text)).roles(), [
      { role: role("A"), principal: provider("Two") },
      { role: role("B"), principal: provider("One") },
    ]);
  });

  const now = new Date();
  const expiryCases: [string, string, Date][] = [
    ["saml: prefix, issued now", `<saml:Assertion IssueInstant="${rfc3339(now)}">`, new Date(Date.parse(rfc3339(now)) + FOUR_MINUTES)],
    ["saml2: prefix", `<saml2:Assertion id="xxx" IssueInstant="2024-05-01T12:00:00Z">`, new Date("2024-05-01T12:04:00Z")],
    ["other attributes around it", `<saml:Assertion id="mock" IssueInstant="2024-05-01T12:00:00.5Z" attr1="yyy">`, new Date("2024-05-01T12:04:00.500Z")],
    ["ns2: prefix (upstream never matched it)", `<ns2:Assertion IssueInstant="2024-05-01T12:00:00Z">`, new Date("2024-05-01T12:04:00Z")],
    ["no prefix", `<Assertion IssueInstant="2024-05-01T12:00:00+02:00">`, new Date("2024-05-01T10:04:00Z")],
    ["attributes on several lines", `<saml:Assertion\n  ID="a"\n  IssueInstant="2024-05-01T12:00:00Z"\n>`, new Date("2024-05-01T12:04:00Z")],
    ["no IssueInstant", `<saml:Assertion ID="a">`, EPOCH],
    ["no assertion", "<saml></saml>", EPOCH],
  ];
  for (const [name, text, want] of expiryCases) {
    it(`expiresAt: ${name} → ${want.toISOString()}`, () => {
      assert.equal(parseSamlAssertion(b64(text)).expiresAt().toISOString(), want.toISOString());
    });
  }

  it("expiresAt is in the future for an assertion issued now and in the past for one issued an hour ago (§15 case 16)", () => {
    const t = Date.now();
    const fresh = parseSamlAssertion(b64(`<saml:Assertion IssueInstant="${rfc3339(new Date(t))}">`));
    const old = parseSamlAssertion(b64(`<saml:Assertion IssueInstant="${rfc3339(new Date(t - 3600_000))}">`));
    assert.equal(fresh.expiresAt().getTime() > t, true);
    assert.equal(old.expiresAt().getTime() < t, true);
  });

  for (const [name, value] of [
    ["a number", String(BigInt(Date.now()) * 1_000_000n)],
    ["a date without a time", "2024-05-01"],
    ["an impossible date", "2024-02-30T00:00:00Z"],
  ]) {
    it(`an IssueInstant that is ${name} is SAML_INVALID naming the value`, () => {
      assert.throws(
        () => parseSamlAssertion(b64(`<saml:Assertion IssueInstant="${value}">`)),
        (e: unknown) =>
          isSamlInvalid(e) &&
          (e as Error).message ===
            `invalid saml assertion: IssueInstant "${value}" is not an RFC 3339 date; check the identity provider`,
      );
    });
  }

  const sessionNames: [string, string, string | undefined][] = [
    ["good", `<RoleSessionName NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">mockUser</RoleSessionName>`, "mockUser"],
    ["with email characters", `<RoleSessionName>first.last+aws@example.com</RoleSessionName>`, "first.last+aws@example.com"],
    ["missing", "<saml></saml>", undefined],
    ["invalid characters", `<RoleSessionName NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">In^a|id</RoleSessionName>`, undefined],
    ["empty", `<RoleSessionName></RoleSessionName>`, undefined],
  ];
  for (const [name, text, want] of sessionNames) {
    it(`roleSessionName: ${name} → ${String(want)} (§15 case 24)`, () => {
      assert.equal(parseSamlAssertion(b64(text)).roleSessionName(), want);
    });
  }

  it("reads a SessionDuration from text", () => {
    assert.equal(parseSamlAssertion(b64(`<SessionDuration>7200</SessionDuration>`)).sessionDuration(), 7200);
    assert.equal(parseSamlAssertion(b64(`<SessionDuration>2h</SessionDuration>`)).sessionDuration(), undefined);
  });
});

describe("parseSamlAssertion: SAML documents, read with an XML parser", () => {
  const roles = [`${role("Admin")},${provider("Okta")}`, `${provider("Okta")} , ${role("team/Reader")}`];
  const want: Parsed = {
    roles: [
      { role: role("Admin"), principal: provider("Okta") },
      { role: role("team/Reader"), principal: provider("Okta") },
    ],
    roleSessionName: "alice@example.com",
    sessionDuration: 3600,
    expiresAt: "2024-05-01T12:04:00.000Z",
  };

  for (const p of ["saml", "saml2", "ns2", "a", ""]) {
    it(`reads roles, RoleSessionName, SessionDuration and IssueInstant with the ${p === "" ? "default namespace" : `${p}: prefix`}`, () => {
      // A pair in another attribute would be counted by upstream's regex: seeing it ignored proves the XML reading.
      const q = p === "" ? "" : `${p}:`;
      const other = `<${q}Attribute Name="https://example.com/groups"><${q}AttributeValue>${role("NotThis")},${provider("X")}</${q}AttributeValue></${q}Attribute>`;
      const text = samlResponse({ p, roles, sessionName: "alice@example.com", duration: "3600", extraAttributes: other });
      assert.deepEqual(parsed(text), want);
    });
  }

  it("takes IssueInstant from the Assertion, not the Response around it", () => {
    assert.equal(parsed(samlResponse({ issueInstant: "2030-01-01T00:00:00.123Z" })).expiresAt, "2030-01-01T00:04:00.123Z");
  });

  it("reads GovCloud and China partitions", () => {
    const text = samlResponse({
      roles: [`${role("Gov", "aws-us-gov")},${provider("G", "aws-us-gov")}`, `${provider("C", "aws-cn")},${role("Cn", "aws-cn")}`],
    });
    assert.deepEqual(parsed(text).roles, [
      { role: role("Gov", "aws-us-gov"), principal: provider("G", "aws-us-gov") },
      { role: role("Cn", "aws-cn"), principal: provider("C", "aws-cn") },
    ]);
  });

  it("tolerates line breaks and spaces inside a value, which upstream's regex did not", () => {
    const text = samlResponse({ roles: [`\n   ${role("Admin")}\n ,\n ${provider("Okta")}\n`] });
    assert.deepEqual(parsed(text).roles, [{ role: role("Admin"), principal: provider("Okta") }]);
  });

  it("counts only the Role attribute, skipping values that are not a role and provider pair", () => {
    const other = `<saml:Attribute Name="https://example.com/groups"><saml:AttributeValue>${role("NotThis")},${provider("X")}</saml:AttributeValue></saml:Attribute>`;
    const text = samlResponse({
      roles: [`${role("Yes")},${provider("P")}`, role("Alone"), `${role("A")},${role("B")}`, "garbage"],
      extraAttributes: other,
    });
    assert.deepEqual(parsed(text).roles, [{ role: role("Yes"), principal: provider("P") }]);
  });

  it("gives no roles, session name or duration when the attributes are absent", () => {
    assert.deepEqual(parsed(samlResponse({})), {
      roles: [],
      roleSessionName: undefined,
      sessionDuration: undefined,
      expiresAt: "2024-05-01T12:04:00.000Z",
    });
  });

  const names: [string, string | undefined][] = [
    ["  bob  ", "bob"],
    ["In^a|id", undefined],
    ["x", undefined],
    ["a".repeat(64), "a".repeat(64)],
    ["a".repeat(65), undefined],
  ];
  for (const [value, want] of names) {
    it(`RoleSessionName ${JSON.stringify(value.length > 20 ? `${value.length} chars` : value)} → ${String(want)}`, () => {
      assert.equal(parsed(samlResponse({ sessionName: value })).roleSessionName, want);
    });
  }

  for (const [value, want] of [
    ["43200", 43200],
    [" 900 ", 900],
    ["1h", undefined],
    ["", undefined],
    ["-5", undefined],
  ] as const) {
    it(`SessionDuration ${JSON.stringify(value)} → ${String(want)}`, () => {
      assert.equal(parsed(samlResponse({ duration: value })).sessionDuration, want);
    });
  }

  it("an Assertion without IssueInstant expires at the epoch; a malformed one is SAML_INVALID", () => {
    assert.equal(parsed(samlResponse({ issueInstant: undefined })).expiresAt, EPOCH.toISOString());
    assert.throws(() => parsed(samlResponse({ issueInstant: "yesterday" })), isSamlInvalid);
  });

  it("returns copies, so a caller cannot change the assertion", () => {
    const a = parseSamlAssertion(b64(samlResponse({ roles })));
    a.roles().pop();
    const first = a.roles()[0];
    if (first !== undefined) first.role = "changed";
    a.expiresAt().setTime(0);
    assert.deepEqual(a.roles(), want.roles);
    assert.equal(a.expiresAt().toISOString(), want.expiresAt);
  });
});

describe("roleNotInAssertion", () => {
  it("names the role and every role the assertion grants, in document order", () => {
    const a = parseSamlAssertion(b64(samlResponse({ roles: [`${role("B")},${provider("P")}`, `${role("A")},${provider("P")}`] })));
    const e = roleNotInAssertion(role("Missing"), a);
    assert.equal(e.code, "SAML_ROLE_NOT_GRANTED");
    assert.equal(
      e.message,
      `role ${role("Missing")} is not in the SAML assertion; roles available: ${role("B")}, ${role("A")}. Check role_arn (or jump_role_arn)`,
    );
  });

  it("says 'none' when the assertion grants no role", () => {
    const e = roleNotInAssertion(role("Missing"), parseSamlAssertion(b64("nothing here")));
    assert.equal(e.message, `role ${role("Missing")} is not in the SAML assertion; roles available: none. Check role_arn (or jump_role_arn)`);
  });
});
