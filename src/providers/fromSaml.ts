import type { CredentialProvider } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";
import { roleNotInAssertion } from "../idp/roleNotInAssertion.js";
import type { IdpAccess } from "./idpAccess.js";
import type { StsApi } from "./stsApi.js";

/**
 * Role credentials from a SAML assertion (core.md §3.5): AssumeRoleWithSAML with the principal the assertion pairs
 * with the requested role. A role the assertion does not grant is an error naming the roles it does (decisions.md),
 * rather than a call STS would reject with a vaguer message.
 */
export function fromSaml(init: {
  sts: () => Promise<StsApi>;
  idp: IdpAccess;
  roleArn: string;
  durationSeconds: number;
  logger: Logger;
}): CredentialProvider {
  return async () => {
    const assertion = await init.idp.samlAssertion();
    if (assertion.base64.length < 20) {
      throw new RunasError(
        "SAML_INVALID",
        "invalid SAML Assertion detected, check your local SAML and identity provider configuration",
      );
    }
    const pair = assertion.roles().find((r) => r.role === init.roleArn);
    if (pair === undefined) throw roleNotInAssertion(init.roleArn, assertion);
    init.logger.debug("Detected expired or unset saml role credentials, refreshing");
    const sts = await init.sts();
    return sts.assumeRoleWithSaml({
      roleArn: pair.role,
      principalArn: pair.principal,
      samlAssertion: assertion.base64,
      durationSeconds: init.durationSeconds,
    });
  };
}
