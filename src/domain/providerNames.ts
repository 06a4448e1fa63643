/**
 * The identity-provider names a profile may force, one list per protocol, in the order messages show them
 * (idp.md §2, decisions.md "Seed"). Config validation and provider selection both read these lists.
 */
export const SAML_PROVIDER_NAMES = ["okta", "onelogin", "keycloak", "forgerock", "azuread", "browser", "browserne", "mock"] as const;

/** `web_identity_provider` values: the seed's five, the generic standards-based `oidc`, and the test `mock`. */
export const WEB_IDENTITY_PROVIDER_NAMES = ["okta", "onelogin", "keycloak", "forgerock", "azuread", "oidc", "mock"] as const;

/**
 * Long spellings, lower-cased, and the name they stand for. Upstream compared the lower-cased input with the
 * mixed-case alias, so it never matched (idp.md §13 item 9).
 */
export const PROVIDER_ALIASES: Readonly<Record<string, string>> = { browsernewexperience: "browserne" };

/** The canonical provider name for `value` (any case, aliases resolved), or undefined when it is not in `names`. */
export function providerName(value: string, names: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const canonical = PROVIDER_ALIASES[lower] ?? lower;
  return names.includes(canonical) ? canonical : undefined;
}
