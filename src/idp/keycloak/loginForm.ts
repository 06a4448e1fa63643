/**
 * Reads Keycloak's sign-in pages (idp.md §6.3): the login form, the OTP form and the feedback line Keycloak shows
 * after a rejected attempt. The tolerant scanner of htmlTags.ts is enough: the pages come from Keycloak's FreeMarker
 * templates, but themes change attribute order and quoting, and the action URLs carry `&amp;`.
 */
import { decodeEntities, tagsOf, withoutScripts } from "../htmlTags.js";

/** One `<input>` of a form, its attributes entity-decoded; absent attributes are undefined. */
export interface FormInput {
  name: string | undefined;
  id: string | undefined;
  type: string | undefined;
  value: string | undefined;
  checked: boolean;
}

/** A `<form>`: where it posts (resolved against the page's URL) and its inputs in document order. */
export interface HtmlForm {
  action: URL;
  inputs: FormInput[];
}

/** The field of an OTP form that takes the code. */
export interface OtpForm {
  form: HtmlForm;
  /** The input's `name` (upstream took its `id`, idp.md §13 item 5), its `id` when it has no name. */
  field: string;
}

/** Every `<form>` of the page with its inputs; inputs outside a form are left out, as a browser would. */
export function formsOf(html: string, pageUrl: URL): HtmlForm[] {
  const forms: HtmlForm[] = [];
  let open: HtmlForm | undefined;
  for (const tag of tagsOf(withoutScripts(html), ["form", "input"])) {
    if (tag.closing) {
      if (tag.name === "form") open = undefined;
      continue;
    }
    const attrs = tag.attrs;
    if (tag.name === "form") {
      open = { action: resolveAction(attrs.get("action"), pageUrl), inputs: [] };
      forms.push(open);
    } else if (open !== undefined) {
      open.inputs.push({
        name: attrs.get("name"),
        id: attrs.get("id"),
        type: attrs.get("type"),
        value: attrs.get("value"),
        checked: attrs.has("checked"),
      });
    }
  }
  return forms;
}

/**
 * The login form: the first form with a password field (on Keycloak's own pages that is the first form of the
 * page), or undefined when the page has none.
 */
export function loginFormOf(html: string, pageUrl: URL): HtmlForm | undefined {
  return formsOf(html, pageUrl).find((f) =>
    f.inputs.some((i) => i.type?.toLowerCase() === "password" || i.name?.toLowerCase() === "password"),
  );
}

/**
 * The OTP form: the first form with an input whose name ends with `otp` (Keycloak's is `otp`; upstream matched the
 * same suffix), or, having no name, whose id does; undefined when the page asks for no code.
 */
export function otpFormOf(html: string, pageUrl: URL): OtpForm | undefined {
  for (const form of formsOf(html, pageUrl)) {
    const field = form.inputs.map(otpName).find((n) => n !== undefined);
    if (field !== undefined) return { form, field };
  }
  return undefined;
}

/** The name an input takes a code under: a name ending with `otp`, or for an input without a name, such an id. */
function otpName(input: FormInput): string | undefined {
  const name = input.name ?? "";
  const candidate = name !== "" ? name : (input.id ?? "");
  return candidate.toLowerCase().endsWith("otp") ? candidate : undefined;
}

/**
 * The fields a browser-like submit of `form` sends (idp.md §6.3 step 3): only inputs that have a `type` attribute
 * and a name, never `submit`/`reset` buttons; radio buttons only when checked; every other input (hidden ones such
 * as `credentialId`, checkboxes such as `rememberMe`, as upstream) with its value or "". `values` replaces the value
 * of the fields it names, matched without regard to case.
 */
export function formFields(form: HtmlForm, values: Readonly<Record<string, string>>): URLSearchParams {
  const given = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  const fields = new URLSearchParams();
  for (const input of form.inputs) {
    const type = input.type?.toLowerCase();
    if (type === undefined || type === "submit" || type === "reset") continue;
    if (input.name === undefined || input.name === "") continue;
    if (type === "radio" && !input.checked) continue;
    fields.append(input.name, given.get(input.name.toLowerCase()) ?? input.value ?? "");
  }
  return fields;
}

/**
 * What Keycloak says about the last attempt ("Invalid username or password.", "Invalid authenticator code."): the
 * text of the element with id `input-error`, else of class `kc-feedback-text`, else `alert-error`. For debug lines
 * only: the wording depends on the theme and the language.
 */
export function feedbackOf(html: string): string | undefined {
  const text = withoutScripts(html);
  const tags = [...tagsOf(text)].filter((t) => !t.closing);
  const classes = (attrs: Map<string, string>): string[] => (attrs.get("class") ?? "").split(/\s+/);
  const tag =
    tags.find((t) => t.attrs.get("id") === "input-error") ??
    tags.find((t) => classes(t.attrs).includes("kc-feedback-text")) ??
    tags.find((t) => classes(t.attrs).includes("alert-error"));
  if (tag === undefined) return undefined;
  const after = text.slice(tag.end, tag.end + 2000);
  const first = after
    .split(/<[^>]*>/)
    .map((s) => decodeEntities(s).replace(/\s+/g, " ").trim())
    .find((s) => s !== "");
  return first === undefined ? undefined : printable(first);
}

/** The page's `<title>`, for messages about a page aws-runas does not understand. */
export function titleOf(html: string): string | undefined {
  const m = /<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  const title = m === null ? "" : decodeEntities(m[1] ?? "").replace(/\s+/g, " ").trim();
  return title === "" ? undefined : printable(title);
}

/** A form's action, resolved as a browser does: relative to the page, and the page itself when empty or unusable. */
function resolveAction(action: string | undefined, pageUrl: URL): URL {
  if (action === undefined || action.trim() === "") return new URL(pageUrl.href);
  try {
    return new URL(action.trim(), pageUrl);
  } catch {
    return new URL(pageUrl.href);
  }
}

/** Text from the page made safe for one terminal line: control characters dropped, length bounded. */
function printable(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
