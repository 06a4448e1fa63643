/**
 * Reads the SAMLResponse out of the auto-submitting HTML form an IdP hands the browser (idp.md §3.6 step 3). A small
 * tolerant scanner is enough: IdPs write this form from a template, but attribute order, quoting and entity encoding
 * differ between them.
 */

/** `<input` as a tag (not `<inputs`), in any case. */
const INPUT_TAG = /<input(?=[\s/>])/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  equals: "=",
  plus: "+",
  sol: "/",
};

/**
 * The `value` of every `<input>` whose `name` is exactly `SAMLResponse`, the last one winning, HTML entities decoded
 * (idp.md §3.6, §15 case 15). An input without a value gives "". Undefined when the page has no such input: the
 * caller then signs in and asks again.
 */
export function samlResponseFromHtml(html: string): string | undefined {
  const text = html.replace(COMMENT, "");
  let found: string | undefined;
  for (const m of text.matchAll(INPUT_TAG)) {
    const attrs = readAttributes(text, m.index + m[0].length);
    if (attrs.get("name") === "SAMLResponse") found = attrs.get("value") ?? "";
  }
  return found;
}

/**
 * The attributes of the tag whose name ends at `start`, keyed by lower-cased name, values entity-decoded. As in
 * HTML, the first of two same-named attributes counts; quotes may be double, single or absent.
 */
function readAttributes(text: string, start: number): Map<string, string> {
  const attrs = new Map<string, string>();
  let i = start;
  const skipSpace = (): void => {
    while (i < text.length && /[\s/]/.test(text[i] ?? "")) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= text.length || text[i] === ">") return attrs;
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
        const end = text.indexOf(quote, i + 1);
        const stop = end < 0 ? text.length : end;
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

/** Named entities of the short list above and every numeric entity; anything else is left as written. */
function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body.startsWith("#")) {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}
