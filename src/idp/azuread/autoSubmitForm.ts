/**
 * The self-submitting HTML form a sign-in step hands the browser (idp.md §8 "submitResponse"): the OIDC or SAML result
 * going back to My Apps, a federated IdP's WS-Federation answer going back to Azure AD. aws-runas plays the browser's
 * part and submits it.
 */
import { tagsOf, withoutComments } from "../htmlTags.js";

/** What submitting the form sends, and where. */
export interface AutoSubmitForm {
  /** The form's action, resolved against the page's address. */
  action: URL;
  /** "POST" or "GET" (upper case). */
  method: string;
  /** Every named input the browser would send, in document order, values entity-decoded ("" when absent). */
  fields: [string, string][];
}

/** Inputs a browser leaves out of an automatic submission (buttons are sent only when clicked). */
const NOT_SENT = new Set(["submit", "button", "reset", "image", "file"]);

/**
 * The first `<form>` of `html` with the inputs inside it; undefined when the page has no form, or a form without an
 * action (that is no hand-off, and posting it back to the same page would only go round in circles).
 */
export function readAutoSubmitForm(html: string, pageUrl: URL): AutoSubmitForm | undefined {
  let form: Map<string, string> | undefined;
  const fields: [string, string][] = [];
  for (const tag of tagsOf(withoutComments(html), ["form", "input"])) {
    if (tag.name === "form") {
      // The first form's end ends the walk; a form opened inside it (invalid HTML) does not.
      if (tag.closing && form !== undefined) break;
      if (!tag.closing && form === undefined) form = tag.attrs;
      continue;
    }
    if (form === undefined || tag.closing) continue;
    const name = tag.attrs.get("name");
    const type = (tag.attrs.get("type") ?? "text").toLowerCase();
    if (name === undefined || name === "" || NOT_SENT.has(type)) continue;
    if ((type === "checkbox" || type === "radio") && !tag.attrs.has("checked")) continue;
    fields.push([name, tag.attrs.get("value") ?? ""]);
  }
  if (form === undefined) return undefined;
  const actionText = (form.get("action") ?? "").trim();
  if (actionText === "") return undefined;
  let action: URL;
  try {
    action = new URL(actionText, pageUrl);
  } catch {
    return undefined;
  }
  const method = (form.get("method") ?? "GET").toUpperCase() === "POST" ? "POST" : "GET";
  return { action, method, fields };
}
