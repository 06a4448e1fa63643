/**
 * The roles one IAM policy document lets its holder assume, found the way upstream's `list roles` finds them
 * (core.md §6.1): statements with `"Effect": "Allow"` whose Action is the exact string `sts:AssumeRole` (alone or in
 * a list), and of their Resource the IAM role ARNs that name one role. Pure: problems are returned, not logged.
 */

/** What a policy document yields: role ARNs (in document order, possibly repeated) and problems to log at ERROR. */
export interface PolicyScan {
  roles: string[];
  problems: string[];
}

/** No wildcard matching on Action, no NotAction, conditions ignored: exactly upstream's rule (core.md §6.1). */
const ASSUME_ROLE = "sts:AssumeRole";

export function rolesInPolicy(document: string): PolicyScan {
  const parsed = parseDocument(document);
  if ("problem" in parsed) return { roles: [], problems: [parsed.problem] };
  const doc = parsed.json;
  if (!isObject(doc)) return { roles: [], problems: ["policy document is not a JSON object"] };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const scan: PolicyScan = { roles: [], problems: [] };
  for (const s of statements) {
    if (!isObject(s) || s.Effect !== "Allow" || !allowsAssumeRole(s.Action)) continue;
    const resources = typeof s.Resource === "string" ? [s.Resource] : Array.isArray(s.Resource) ? s.Resource : [];
    for (const r of resources) {
      if (typeof r !== "string") continue;
      const verdict = roleArnVerdict(r);
      if (verdict === "role") scan.roles.push(r);
      else if (verdict === "not-an-arn") scan.problems.push(`resource '${r}' is not an ARN`);
    }
  }
  return scan;
}

/**
 * Whether a Resource entry names exactly one IAM role, i.e. can be used as role_arn. Wildcards (`*`, `?`) match many
 * or unknown roles, so they are left out, as upstream leaves out `*` (core.md §6.1); `?` is never part of a role name.
 */
export function roleArnVerdict(resource: string): "role" | "wildcard" | "other-arn" | "not-an-arn" {
  if (resource === "*") return "wildcard";
  const parts = resource.split(":");
  // arn:partition:service:region:account:resource — the resource part may itself contain ':'.
  if (parts.length < 6 || parts[0] !== "arn") return "not-an-arn";
  const [, , service] = parts;
  const name = parts.slice(5).join(":");
  if (service !== "iam" || !name.startsWith("role/")) return "other-arn";
  return /[*?]/.test(resource) ? "wildcard" : "role";
}

function allowsAssumeRole(action: unknown): boolean {
  if (typeof action === "string") return action === ASSUME_ROLE;
  return Array.isArray(action) && action.includes(ASSUME_ROLE);
}

/**
 * IAM returns documents URL-encoded (RFC 3986, spaces as %20). Percent-decoding alone keeps a literal `+` (valid in
 * role names) intact, where upstream's form decoding turned it into a space; form decoding (`+` as space) is tried
 * only when the result is not JSON. A document that already is JSON (moto's GetPolicyVersion, hand-made fixtures)
 * is read as it is.
 */
function parseDocument(document: string): { json: unknown } | { problem: string } {
  const text = document.trim();
  if (text === "") return { problem: "empty policy document" };
  if (text.startsWith("{")) return parseJson(text);
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch (e) {
    return { problem: `error unescaping policy document: ${reason(e)}` };
  }
  const first = parseJson(decoded);
  if ("json" in first || !text.includes("+")) return first;
  try {
    return parseJson(decodeURIComponent(text.replace(/\+/g, " ")));
  } catch {
    return first;
  }
}

function parseJson(text: string): { json: unknown } | { problem: string } {
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (e) {
    return { problem: `error unmarshalling policy document json: ${reason(e)}` };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
