import { RunasError } from "../domain/errors.js";

/** One `key = value` line. Sub-properties are stored flattened as `parent.sub`. */
export interface IniEntry {
  key: string;
  value: string;
  /** 1-based line number, so error messages can point at the line to fix. */
  line: number;
}

/** One `[header]` block; `header` is the text inside the brackets, trimmed: `profile dev`, `default`, `sso-session corp`. */
export interface IniSection {
  header: string;
  line: number;
  /** In file order; a key may repeat, and readers take the last occurrence. */
  entries: IniEntry[];
}

/** A parsed file; `path` is kept for error messages. */
export interface IniDocument {
  path: string;
  sections: IniSection[];
}

/** Longest prefix of an unparsable line quoted back to the user. */
const MAX_QUOTED = 40;

/**
 * Parses an AWS shared config or credentials file the way the AWS SDKs do (`@smithy/shared-ini-file-loader`
 * parseIni), so a file the AWS CLI accepts means the same here: comments, ` #`/` ;` inline comments, quotes kept,
 * indented sub-properties. Unlike the SDK, a line that is not a header, comment or key/value pair is an INI_SYNTAX
 * error naming the file and line, instead of being dropped silently.
 */
export function parseIni(text: string, path: string): IniDocument {
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  // The key whose empty value opened a block of indented sub-properties (`s3 =` then `  max_concurrent_requests = 5`).
  let parent: string | undefined;
  // Plain string operations rather than regular expressions in this loop: it runs over every line of the user's
  // files on every credential_process call.
  const lines = (text.startsWith("\uFEFF") ? text.slice(1) : text).split("\n");

  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const line = lines[index] ?? "";
    const raw = line.endsWith("\r") ? line.slice(0, -1) : line;
    const leading = raw.trimStart();
    if (leading === "" || leading.startsWith("#") || leading.startsWith(";")) continue;
    const content = stripInlineComment(leading).trim();

    if (content.startsWith("[")) {
      if (!content.endsWith("]")) {
        throw syntaxError(path, lineNo, `section header must end with "]", found ${quote(content)}`);
      }
      const header = content.slice(1, -1).trim();
      if (header === "") throw syntaxError(path, lineNo, 'empty section header "[]"');
      current = { header, line: lineNo, entries: [] };
      sections.push(current);
      parent = undefined;
      continue;
    }

    const sep = separatorIndex(content);
    if (sep === 0) throw syntaxError(path, lineNo, `missing key name before "${content[0] ?? "="}"`);
    if (sep < 0) {
      throw syntaxError(path, lineNo, `expected "key = value" or "[section]", found ${describeLine(content)}`);
    }
    const key = content.slice(0, sep).trim();
    const value = content.slice(sep + 1).trim();
    // The key is not quoted back: a wrapped secret ending in base64 "=" padding looks like a key too.
    if (current === undefined) throw syntaxError(path, lineNo, '"key = value" line before any [section] header');

    // As in the SDK, an indented line belongs to the open sub-property block; with no block open it is a plain key.
    const indented = leading !== raw;
    if (indented && parent !== undefined) {
      current.entries.push({ key: `${parent}.${key}`, value, line: lineNo });
      continue;
    }
    current.entries.push({ key, value, line: lineNo });
    parent = value === "" ? key : undefined;
  }

  return { path, sections };
}

function syntaxError(path: string, line: number, what: string): RunasError {
  return new RunasError("INI_SYNTAX", `${path}, line ${line}: ${what} — fix or remove this line`);
}

/** Cuts a comment that starts with `#` or `;` after whitespace; `https://x/#frag` keeps its `#`, as in the SDKs. */
function stripInlineComment(line: string): string {
  // Most lines have neither character: two native searches decide that without running a regular expression.
  if (line.indexOf("#", 1) < 0 && line.indexOf(";", 1) < 0) return line;
  const match = /\s[#;]/.exec(line);
  return match === null ? line : line.slice(0, match.index);
}

/** The first `=` or `:`, so `role_arn = arn:aws:…` and `role_arn: arn:aws:…` both split at the right place. */
function separatorIndex(line: string): number {
  const eq = line.indexOf("=");
  const colon = line.indexOf(":");
  if (eq < 0) return colon;
  if (colon < 0) return eq;
  return Math.min(eq, colon);
}

/**
 * How an unparsable line is shown in the error. A line without whitespace may be the wrapped tail of a secret
 * (a session token split by an editor), so only lines with a space in them are quoted, and only their start.
 */
function describeLine(line: string): string {
  if (!/\s/.test(line)) return "a line with no \"=\" in it";
  return quote(line);
}

function quote(text: string): string {
  return text.length > MAX_QUOTED ? `"${text.slice(0, MAX_QUOTED)}…"` : `"${text}"`;
}
