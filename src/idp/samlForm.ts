/**
 * Reads the SAMLResponse out of the auto-submitting HTML form an IdP hands the browser (idp.md §3.6 step 3). IdPs
 * write this form from a template, but attribute order, quoting and entity encoding differ between them: the tolerant
 * scanner of htmlTags.ts reads it as a browser would.
 */
import { tagsOf, withoutComments } from "./htmlTags.js";

/**
 * The `value` of every `<input>` whose `name` is exactly `SAMLResponse`, the last one winning, HTML entities decoded
 * (idp.md §3.6, §15 case 15). An input without a value gives "". Undefined when the page has no such input: the
 * caller then signs in and asks again.
 */
export function samlResponseFromHtml(html: string): string | undefined {
  let found: string | undefined;
  for (const tag of tagsOf(withoutComments(html), ["input"])) {
    if (!tag.closing && tag.attrs.get("name") === "SAMLResponse") found = tag.attrs.get("value") ?? "";
  }
  return found;
}
