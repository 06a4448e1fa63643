/**
 * A small tolerant HTML tag scanner for the pages IdPs hand a browser: sign-in forms and self-submitting hand-offs.
 * Those pages come from templates, but attribute order, quoting, case and entity encoding differ between IdPs and
 * themes, so tags are found by name and their attributes read as a browser reads them. No DOM: only what the clients
 * need from a page (inputs, forms, a feedback line) and nothing that runs.
 */

/** One tag of a page: its lower-cased name, whether it closes (`</form>`), its attributes, and where it ends. */
export interface HtmlTag {
  name: string;
  closing: boolean;
  /** Keyed by lower-cased name, values entity-decoded; the first of two same-named attributes counts, as in HTML. */
  attrs: Map<string, string>;
  /** The index just past the tag's `>` (the end of the text when the tag is cut off). */
  end: number;
}

const COMMENT = /<!--[\s\S]*?-->/g;
/** Script and style bodies may contain "<input" in strings; they are never part of a form. */
const RAW_TEXT = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
/** A tag's start: `<name` or `</name` followed by a space, `/` or `>` (so `<inputs` is no `<input`). */
const TAG_START = /<(\/?)([a-z][a-z0-9]*)(?=[\s/>])/gi;
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

/** The page without its comments: a commented-out form or input is not there for a browser. */
export function withoutComments(html: string): string {
  return html.replace(COMMENT, "");
}

/** The page without comments and without the bodies of `<script>` and `<style>`. */
export function withoutScripts(html: string): string {
  return withoutComments(html).replace(RAW_TEXT, "");
}

/**
 * The tags of `text` in document order, opening and closing ones, limited to `names` (lower case) when given. Every
 * `<name` counts, also one inside another tag's quoted attribute: the callers strip comments and scripts first.
 */
export function* tagsOf(text: string, names?: readonly string[]): Generator<HtmlTag> {
  for (const m of text.matchAll(TAG_START)) {
    const name = (m[2] ?? "").toLowerCase();
    if (names !== undefined && !names.includes(name)) continue;
    const { attrs, end } = readAttributes(text, m.index + m[0].length);
    yield { name, closing: m[1] === "/", attrs, end };
  }
}

/**
 * The attributes of the tag whose name ends at `start` (lower-cased names, entity-decoded values; the first of two
 * same-named attributes counts, as in HTML; quotes may be double, single or absent) and the index just past the tag.
 */
export function readAttributes(text: string, start: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  let i = start;
  for (;;) {
    while (i < text.length && /[\s/]/.test(text[i] ?? "")) i++;
    if (i >= text.length) return { attrs, end: text.length };
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

/**
 * Every numeric entity and the named ones IdP templates write (`&amp;`, `&quot;`, `&equals;` in base64 values, …), in
 * any case; anything else is left as written, as a browser leaves an unknown entity.
 */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body.startsWith("#")) {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}
