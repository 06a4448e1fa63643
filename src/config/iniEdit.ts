import { RunasError } from "../domain/errors.js";

/**
 * Returns `text` with section `[name]` holding exactly `values` for the keys in `owned`: existing lines of owned
 * keys are rewritten in place (value replaced, the key's own spacing kept), owned keys missing from `values`
 * (undefined) are removed, new ones are added after the section's last key line, and the section is appended at the
 * end (separated by one blank line) when absent. Every other byte of the file is unchanged: other sections,
 * comments, blank lines, spacing, ordering, CRLF line endings (new lines use the file's line ending), a missing final
 * newline elsewhere, and other keys inside the same section.
 * Only the first of duplicate `[name]` sections is edited; a later duplicate line of an owned key is removed so the
 * key holds one value whichever duplicate a reader would pick. An absent section is not created when every owned
 * value is undefined. Keys of `values` outside `owned` are not looked at.
 */
export function setSectionValues(
  text: string,
  name: string,
  owned: readonly string[],
  values: Readonly<Record<string, string | undefined>>,
): string {
  checkName(name);
  // The owned keys that get a value. Own properties only, so a key named like an Object.prototype member (toString)
  // reads as absent rather than as a function.
  const own = new Map<string, string>();
  for (const key of owned) {
    if (!/^[^\s=:[#;][^=:]*$/.test(key) || key !== key.trim()) {
      throw new RunasError("INVALID_VALUE", `"${key}" cannot be used as a key in an INI file`);
    }
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (value === undefined) continue;
    // A line break would end the value early and turn its remainder into lines of their own: refuse. The value
    // itself may be a secret, so only the key is named.
    if (/[\r\n]/.test(value)) {
      throw new RunasError(
        "INVALID_VALUE",
        `the value for ${key} contains a line break and cannot be written to an INI file`,
      );
    }
    own.set(key, value);
  }

  const eol = /\r\n|\n/.exec(text)?.[0] ?? "\n";
  const lines = splitLines(text);
  const start = lines.findIndex((l) => sectionName(l.content) === name);
  if (start < 0) return appendSection(text, eol, name, owned, own);

  let end = start + 1;
  while (end < lines.length && sectionName(lines[end]?.content ?? "") === undefined) end++;

  const body: Line[] = [];
  const written = new Set<string>();
  let lastKeyIndex = -1;
  for (const line of lines.slice(start + 1, end)) {
    const parsed = parseKeyLine(line.content);
    if (parsed !== undefined && owned.includes(parsed.key)) {
      const value = own.get(parsed.key);
      if (value === undefined || written.has(parsed.key)) continue;
      written.add(parsed.key);
      body.push({ content: parsed.prefix + value, eol: line.eol });
    } else {
      body.push(line);
    }
    if (parsed !== undefined) lastKeyIndex = body.length - 1;
  }

  const added: Line[] = owned
    .filter((key) => own.has(key) && !written.has(key))
    .map((key) => ({ content: `${key} = ${own.get(key) ?? ""}`, eol }));
  const header = lines[start] as Line;
  const section = [header, ...body];
  // Position in `section` after which new keys go: the last key line, or the header when the section has none.
  const insertAt = lastKeyIndex + 1;
  if (added.length > 0) {
    const before = section[insertAt] as Line;
    if (before.eol === "") {
      // Adding after the file's unterminated last line: terminate it, and leave the last added line unterminated.
      section[insertAt] = { content: before.content, eol };
      added[added.length - 1] = { content: (added[added.length - 1] as Line).content, eol: "" };
    }
    section.splice(insertAt + 1, 0, ...added);
  }

  const result = [...lines.slice(0, start), ...section, ...lines.slice(end)];
  let out = result.map((l) => l.content + l.eol).join("");
  // A removed last line must not leave behind a final newline the file did not have.
  if (!/\n$/.test(text) && text !== "") out = out.replace(/\r?\n$/, "");
  return out;
}

interface Line {
  content: string;
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  for (const match of text.matchAll(/([^\n]*?)(\r\n|\n|$)/g)) {
    if (match[0] === "" && match.index === text.length) break;
    lines.push({ content: match[1] ?? "", eol: match[2] ?? "" });
  }
  return lines;
}

/** The name of the section a header line opens (`[ name ]`, trimmed; a trailing comment allowed), else undefined. */
function sectionName(line: string): string | undefined {
  const m = /^\s*\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(line);
  return m?.[1]?.trim();
}

/** A `key = value` or `key: value` line split into its key and everything up to where the value starts. */
function parseKeyLine(line: string): { key: string; prefix: string } | undefined {
  const m = /^(\s*([^\s=:#;[][^=:]*?)\s*[=:][ \t]*)/.exec(line);
  if (m === null || m[1] === undefined || m[2] === undefined) return undefined;
  return { key: m[2], prefix: m[1] };
}

function appendSection(
  text: string,
  eol: string,
  name: string,
  owned: readonly string[],
  values: ReadonlyMap<string, string>,
): string {
  const keys = owned.filter((key) => values.has(key));
  if (keys.length === 0) return text;
  let out = text;
  if (out !== "") {
    if (!out.endsWith("\n")) out += eol;
    // One blank line between the previous content and the new section, unless the file already ends with one.
    if (!/(^|\n)[ \t]*\r?\n$/.test(out)) out += eol;
  }
  out += `[${name}]${eol}`;
  for (const key of keys) out += `${key} = ${values.get(key) ?? ""}${eol}`;
  return out;
}

function checkName(name: string): void {
  if (name.trim() === "" || name !== name.trim() || /[\][\r\n]/.test(name)) {
    throw new RunasError("INVALID_VALUE", `"${name}" cannot be used as an INI section name`);
  }
}
