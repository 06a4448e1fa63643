import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import { parseIni } from "./ini.js";
import type { IniDocument } from "./ini.js";

const PATH = "/home/u/.aws/config";

/** The document as [header, [key, value, line][]] pairs, so whole files compare in one assertion. */
function shape(doc: IniDocument): [string, number, [string, string, number][]][] {
  return doc.sections.map((s) => [s.header, s.line, s.entries.map((e) => [e.key, e.value, e.line])]);
}

describe("parseIni", () => {
  it("reads headers, keys and values with both separators, keeping the path", () => {
    const doc = parseIni(
      [
        "[default]",
        "region = us-east-1",
        "output=json",
        "[profile dev]",
        "role_arn: arn:aws:iam::123456789012:role/Dev",
        "source_profile = default",
        "role_session_name=me:you",
        "[ sso-session corp ]",
        "sso_start_url = https://corp.awsapps.com/start",
      ].join("\n"),
      PATH,
    );
    assert.equal(doc.path, PATH);
    assert.deepEqual(shape(doc), [
      ["default", 1, [["region", "us-east-1", 2], ["output", "json", 3]]],
      [
        "profile dev",
        4,
        [
          ["role_arn", "arn:aws:iam::123456789012:role/Dev", 5],
          ["source_profile", "default", 6],
          ["role_session_name", "me:you", 7],
        ],
      ],
      ["sso-session corp", 8, [["sso_start_url", "https://corp.awsapps.com/start", 9]]],
    ]);
  });

  it("splits at whichever of = and : comes first", () => {
    const doc = parseIni("[p]\nrole_arn = arn:aws:iam::1:role/x\nurl: https://a/b=c\n", PATH);
    assert.deepEqual(shape(doc), [
      ["p", 1, [["role_arn", "arn:aws:iam::1:role/x", 2], ["url", "https://a/b=c", 3]]],
    ]);
  });

  const comments: [string, string, string][] = [
    ["a full-line # comment", "# region = x\nregion = a", "a"],
    ["a full-line ; comment", "; region = x\nregion = a", "a"],
    ["an indented comment", "   # region = x\nregion = a", "a"],
    ["an inline ' #' comment", "region = a # note", "a"],
    ["an inline ' ;' comment", "region = a ; note", "a"],
    ["an inline tab-# comment", "region = a\t# note", "a"],
    ["a # without whitespace before it", "region = https://x/#frag", "https://x/#frag"],
    ["a ; without whitespace before it", "region = a;b", "a;b"],
  ];
  for (const [name, body, value] of comments) {
    it(`handles ${name}`, () => {
      const doc = parseIni(`[s]\n${body}\n`, PATH);
      assert.deepEqual(doc.sections[0]?.entries.map((e) => [e.key, e.value]), [["region", value]]);
    });
  }

  it("strips an inline comment after a section header", () => {
    assert.deepEqual(shape(parseIni("[profile a] # mine\nk = v", PATH)), [["profile a", 1, [["k", "v", 2]]]]);
  });

  it("keeps quotes as part of the value, as the SDKs do", () => {
    const doc = parseIni(`[s]\na = "quoted"\nb = 'single'\n`, PATH);
    assert.deepEqual(shape(doc), [["s", 1, [["a", '"quoted"', 2], ["b", "'single'", 3]]]]);
  });

  it("keeps empty values", () => {
    const doc = parseIni("[s]\nrole_arn =\nregion=\n", PATH);
    assert.deepEqual(shape(doc), [["s", 1, [["role_arn", "", 2], ["region", "", 3]]]]);
  });

  it("keeps every occurrence of a duplicate key, in file order", () => {
    const doc = parseIni("[s]\nregion = a\nregion = b\n", PATH);
    assert.deepEqual(shape(doc), [["s", 1, [["region", "a", 2], ["region", "b", 3]]]]);
  });

  it("stores indented lines under an empty-valued key as parent.sub", () => {
    const doc = parseIni(
      [
        "[profile dev]",
        "s3 =",
        "  max_concurrent_requests = 20",
        "\tmax_queue_size = 10000",
        "region = eu-west-1",
        "  signature_version = s3v4",
      ].join("\n"),
      PATH,
    );
    assert.deepEqual(shape(doc), [
      [
        "profile dev",
        1,
        [
          ["s3", "", 2],
          ["s3.max_concurrent_requests", "20", 3],
          ["s3.max_queue_size", "10000", 4],
          ["region", "eu-west-1", 5],
          // The block ended at the unindented `region` line, so this indented line is a plain key (SDK behaviour).
          ["signature_version", "s3v4", 6],
        ],
      ],
    ]);
  });

  it("ends a sub-property block at the next section", () => {
    const doc = parseIni("[a]\ns3 =\n  x = 1\n[b]\n  y = 2\n", PATH);
    assert.deepEqual(shape(doc), [
      ["a", 1, [["s3", "", 2], ["s3.x", "1", 3]]],
      ["b", 4, [["y", "2", 5]]],
    ]);
  });

  it("reads CRLF line endings and a UTF-8 BOM", () => {
    const doc = parseIni("\uFEFF[default]\r\nregion = us-east-1\r\n\r\n[profile x]\r\nk = v # c\r\n", PATH);
    assert.deepEqual(shape(doc), [
      ["default", 1, [["region", "us-east-1", 2]]],
      ["profile x", 4, [["k", "v", 5]]],
    ]);
  });

  it("reads an empty or comment-only file as no sections", () => {
    assert.deepEqual(parseIni("", PATH), { path: PATH, sections: [] });
    assert.deepEqual(parseIni("\n# nothing\n  ; here\n\n", PATH), { path: PATH, sections: [] });
  });

  const errors: [string, string, string][] = [
    [
      "a line without a separator",
      "[default]\nregion us-east-1\n",
      `${PATH}, line 2: expected "key = value" or "[section]", found "region us-east-1" — fix or remove this line`,
    ],
    [
      "an unterminated header",
      "[default]\nk = v\n[unterminated\n",
      `${PATH}, line 3: section header must end with "]", found "[unterminated" — fix or remove this line`,
    ],
    ["an empty header", "\n[]\n", `${PATH}, line 2: empty section header "[]" — fix or remove this line`],
    [
      "a key before any section",
      "# top\nregion = us-east-1\n[default]\n",
      `${PATH}, line 2: "key = value" line before any [section] header — fix or remove this line`,
    ],
    ["a missing key", "[s]\n = value\n", `${PATH}, line 2: missing key name before "=" — fix or remove this line`],
    [
      "a long line, quoting only its start",
      "[s]\nthis line is much longer than forty characters in total\n",
      `${PATH}, line 2: expected "key = value" or "[section]", found "this line is much longer than forty char…"` +
        " — fix or remove this line",
    ],
    [
      // A session token wrapped by an editor: its tail must not be echoed.
      "a single-token line that may be a wrapped secret",
      "[s]\naws_session_token = IQoJb3JpZ2luX2VjE\nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n",
      `${PATH}, line 3: expected "key = value" or "[section]", found a line with no "=" in it — fix or remove this line`,
    ],
  ];
  for (const [name, text, message] of errors) {
    it(`rejects ${name} with the file and line`, () => {
      assert.throws(
        () => parseIni(text, PATH),
        (e: unknown) => e instanceof RunasError && e.code === "INI_SYNTAX" && e.message === message,
      );
    });
  }

  it("counts lines of a CRLF file with a BOM correctly in errors", () => {
    assert.throws(() => parseIni("\uFEFF[a]\r\nk = v\r\nbad line\r\n", PATH), {
      code: "INI_SYNTAX",
      message: `${PATH}, line 3: expected "key = value" or "[section]", found "bad line" — fix or remove this line`,
    });
  });
});
