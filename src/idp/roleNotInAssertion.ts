import { RunasError } from "../domain/errors.js";
import type { SamlAssertion } from "./types.js";

/**
 * The error for a role the assertion does not grant (decisions.md on idp.md §13 item 10): upstream sent an empty
 * principal and let STS fail; this names the roles the identity provider did grant, in document order.
 */
export function roleNotInAssertion(roleArn: string, assertion: SamlAssertion): RunasError {
  const roles = assertion.roles().map((r) => r.role);
  return new RunasError(
    "SAML_ROLE_NOT_GRANTED",
    `role ${roleArn} is not in the SAML assertion; roles available: ${roles.length === 0 ? "none" : roles.join(", ")}. ` +
      "Check role_arn (or jump_role_arn)",
  );
}
