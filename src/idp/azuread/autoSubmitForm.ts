/**
 * The self-submitting HTML form a sign-in step hands the browser (idp.md §8 "submitResponse"): the OIDC or SAML result
 * going back to My Apps, a federated IdP's WS-Federation answer going back to Azure AD. aws-runas plays the browser's
 * part and submits it.
 */

/** What submitting the form sends, and where. */
export interface AutoSubmitForm {
  /** The form's action, resolved against the page's address. */
  action: URL;
  /** "POST" or "GET" (upper case). */
  method: string;
  /** Every named input the browser would send, in document order, values entity-decoded ("" when absent). */
  fields: [string, string][];
}

const FORM_TAG = /<form(?=[\s/>])/i;
const FORM_END = /<\/form\s*>/i;
const INPUT_TAG = /<input(?=[\s/>])/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
/** Inputs a browser leaves out of an automatic submission (buttons are sent only when clicked). */
const NOT_SENT = new Set(["submit", "button", "reset", "image", "file"]);
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/**
 * The first `<form>` of `html` with the inputs inside it; undefined when the page has no form, or a form without an
 * action (that is no hand-off, and posting it back to the same page would only go round in circles).
 */
export function readAutoSubmitForm(html: string, pageUrl: URL): AutoSubmitForm | undefined {
  const text = html.replace(COMMENT, "");
  const open = FORM_TAG.exec(text);
  if (open === null) return undefined;
  const { attrs, end } = readAttributes(text, open.index + open[0].length);
  const actionText = (attrs.get("action") ?? "").trim();
  if (actionText === "") return undefined;
  let action: URL;
  try {
    action = new URL(actionText, pageUrl);
  } catch {
    return undefined;
  }
  const closing = FORM_END.exec(text.slice(end));
  const body = text.slice(end, closing === null ? text.length : end + closing.index);
  const fields: [string, string][] = [];
  for (const m of body.matchAll(INPUT_TAG)) {
    const input = readAttributes(body, m.index + m[0].length).attrs;
    const name = input.get("name");
    const type = (input.get("type") ?? "text").toLowerCase();
    if (name === undefined || name === "" || NOT_SENT.has(type)) continue;
    if ((type === "checkbox" || type === "radio") && !input.has("checked")) continue;
    fields.push([name, input.get("value") ?? ""]);
  }
  const method = (attrs.get("method") ?? "GET").toUpperCase() === "POST" ? "POST" : "GET";
  return { action, method, fields };
}

/**
 * The attributes of the tag whose name ends at `start` (lower-cased names, entity-decoded values; the first of two
 * same-named attributes counts, as in HTML) and the index just past the tag.
 */
function readAttributes(text: string, start: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  let i = start;
  for (;;) {
    while (i < text.length && /[\s/]/.test(text[i] ?? "")) i++;
    if (i >= text.length) return { attrs, end: i };
    if (text[i] === ">") return { attrs, end: i + 1 };
    const nameStart = i;
    while (i < text.length && !/[\s/>=]/.test(text[i] ?? "")) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    while (i < text.length && /\s/.test(text[i] ?? "")) i++;
    let value = "";
    if (text[i] === "=") {
      i++;
      while (i < text.length && /\s/.test(text[i] ?? "")) i++;
      const quote = text[i];
      if (quote === '"' || quote === "'") {
        const close = text.indexOf(quote, i + 1);
        const stop = close < 0 ? text.length : close;
        value = text.slice(i + 1, stop);
        i = stop + 1;
      } else {
        const valueStart = i;
        while (i < text.length && !/[\s>]/.test(text[i] ?? "")) i++;
        value = text.slice(valueStart, i);
      }
    }
    if (name !== "" && !attrs.has(name)) attrs.set(name, decodeEntities(value));
  }
}

/** The common named entities and every numeric one; anything else stays as written. */
function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body.startsWith("#")) {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}
