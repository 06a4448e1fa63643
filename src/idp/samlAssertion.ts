import { DOMParser } from "@xmldom/xmldom";
import type { Element } from "@xmldom/xmldom";
import { RunasError } from "../domain/errors.js";
import { parseRfc3339 } from "../domain/rfc3339.js";
import type { RolePair, SamlAssertion } from "./types.js";

const ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
const ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role";
const SESSION_NAME_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
const SESSION_DURATION_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/SessionDuration";

/** AWS accepts an assertion for 5 minutes after IssueInstant; one minute is kept back for the STS call (idp.md §10.5). */
const USABLE_FOR_MS = 4 * 60 * 1000;

/** Standard base64 with padding, as Go's StdEncoding decodes it once CR and LF are dropped (idp.md §10.1). */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A role or SAML provider ARN in any partition (aws, aws-us-gov, aws-cn, aws-iso…); role paths may contain "/". */
const ARN = String.raw`arn:aws(?:-[a-z0-9]+)*:iam::\d+:(?:role|saml-provider)/[^<>\s]+?`;
/** One Role attribute value: "role,principal" or "principal,role", spaces around the comma allowed. */
const PAIR_VALUE = new RegExp(String.raw`^\s*(${ARN})\s*,\s*(${ARN})\s*$`);
/** The same pair anywhere in text that is not a SAML document (upstream's regex, idp.md §10.2, made partition-free). */
const PAIR_TEXT = new RegExp(String.raw`>\s*(${ARN})\s*,\s*(${ARN})\s*<`, "g");
/** Upstream's RoleSessionName regex (idp.md §10.3), with "+" which STS also allows. */
const SESSION_NAME_TEXT = /RoleSessionName.*?>([\w+=,.@-]+)</;
const SESSION_DURATION_TEXT = /SessionDuration.*?>\s*(\d+)\s*</;
/** Upstream's IssueInstant regex (idp.md §10.5), for any namespace prefix (upstream missed e.g. "ns2:"). */
const ISSUE_INSTANT_TEXT = /<(?:[\w.-]+:)?Assertion\b[^>]*?\sIssueInstant\s*=\s*"([^"]*)"/;
/** What STS accepts as a RoleSessionName. */
const VALID_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;


interface Fields {
  roles: RolePair[];
  roleSessionName: string | undefined;
  sessionDuration: number | undefined;
  expiresAt: Date;
}

/**
 * Parses a base64 SAMLResponse (idp.md §10). A SAML 2.0 document is read with a namespace-aware XML parser, so any
 * prefix (saml:, saml2:, ns2:, none) and newlines inside values work; any other text (upstream's test fixtures such
 * as `<someTag>arn…,arn…</someTag>`) falls back to upstream's regular expressions, extended to every partition.
 * Throws RunasError("SAML_INVALID") for empty or non-base64 input and for an IssueInstant that is not a date.
 */
export function parseSamlAssertion(base64: string): SamlAssertion {
  const text = decode(base64);
  const fields = readSamlDocument(text) ?? readText(text);
  return {
    base64,
    roles: () => fields.roles.map((r) => ({ ...r })),
    roleSessionName: () => fields.roleSessionName,
    sessionDuration: () => fields.sessionDuration,
    expiresAt: () => new Date(fields.expiresAt.getTime()),
  };
}


function decode(base64: string): string {
  if (base64 === "") {
    throw new RunasError(
      "SAML_INVALID",
      "invalid saml assertion: the identity provider returned an empty SAMLResponse; check saml_auth_url",
    );
  }
  const compact = base64.replace(/[\r\n]/g, "");
  // Buffer.from(…, "base64") skips whatever is not base64, so garbage would decode to something; check first.
  if (compact === "" || !STRICT_BASE64.test(compact)) {
    throw new RunasError(
      "SAML_INVALID",
      "invalid saml assertion: the SAMLResponse is not base64; " +
        "check that saml_auth_url is the identity provider's AWS application",
    );
  }
  return Buffer.from(compact, "base64").toString("utf8");
}

/** The fields of a well-formed document holding a SAML 2.0 Assertion, or undefined for anything else. */
function readSamlDocument(text: string): Fields | undefined {
  let assertion: Element | undefined;
  try {
    const doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") throw new Error(message);
      },
    }).parseFromString(text, "text/xml");
    assertion = doc.getElementsByTagNameNS(ASSERTION_NS, "Assertion")[0];
  } catch {
    return undefined;
  }
  if (assertion === undefined) return undefined;

  const roles = new Map<string, string>();
  for (const value of attributeValues(assertion, ROLE_ATTRIBUTE)) {
    const m = PAIR_VALUE.exec(value);
    if (m !== null) addPair(roles, m[1] ?? "", m[2] ?? "");
  }
  const sessionName = attributeValues(assertion, SESSION_NAME_ATTRIBUTE)[0]?.trim();
  const duration = attributeValues(assertion, SESSION_DURATION_ATTRIBUTE)[0]?.trim();
  return {
    roles: toPairs(roles),
    roleSessionName: sessionName !== undefined && VALID_SESSION_NAME.test(sessionName) ? sessionName : undefined,
    sessionDuration: duration !== undefined && /^\d+$/.test(duration) ? Number(duration) : undefined,
    expiresAt: expiry(assertion.getAttribute("IssueInstant") ?? undefined),
  };
}

/** The text of every AttributeValue of the Attribute named `name` inside the assertion. */
function attributeValues(assertion: Element, name: string): string[] {
  const values: string[] = [];
  const attributes = assertion.getElementsByTagNameNS(ASSERTION_NS, "Attribute");
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes.item(i);
    if (attribute === null || attribute.getAttribute("Name") !== name) continue;
    const items = attribute.getElementsByTagNameNS(ASSERTION_NS, "AttributeValue");
    for (let j = 0; j < items.length; j++) values.push(items.item(j)?.textContent ?? "");
  }
  return values;
}

/** Upstream's reading of text that is not a SAML document (idp.md §10.2–10.5). */
function readText(text: string): Fields {
  const roles = new Map<string, string>();
  for (const m of text.matchAll(PAIR_TEXT)) addPair(roles, m[1] ?? "", m[2] ?? "");
  const duration = SESSION_DURATION_TEXT.exec(text)?.[1];
  return {
    roles: toPairs(roles),
    roleSessionName: SESSION_NAME_TEXT.exec(text)?.[1],
    sessionDuration: duration === undefined ? undefined : Number(duration),
    expiresAt: expiry(ISSUE_INSTANT_TEXT.exec(text)?.[1]),
  };
}

/** Records a pair whichever way round the IdP wrote it; a later value for the same role wins (idp.md §10.2). */
function addPair(roles: Map<string, string>, first: string, second: string): void {
  if (isRole(first) && !isRole(second)) roles.set(first, second);
  else if (isRole(second) && !isRole(first)) roles.set(second, first);
}

function isRole(arn: string): boolean {
  return /^arn:[^:]*:iam::\d+:role\//.test(arn);
}

function toPairs(roles: Map<string, string>): RolePair[] {
  return [...roles].map(([role, principal]) => ({ role, principal }));
}

/** IssueInstant + 4 minutes; the epoch (already expired, so fetched again) when there is no IssueInstant. */
function expiry(issueInstant: string | undefined): Date {
  if (issueInstant === undefined || issueInstant === "") return new Date(0);
  const issued = parseRfc3339(issueInstant);
  if (issued === undefined) {
    throw new RunasError(
      "SAML_INVALID",
      `invalid saml assertion: IssueInstant "${issueInstant}" is not an RFC 3339 date; check the identity provider`,
    );
  }
  return new Date(issued.getTime() + USABLE_FOR_MS);
}

