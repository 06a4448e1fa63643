import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import { setSectionValues } from "./iniEdit.js";

const OWNED = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"];
const NEW = { aws_access_key_id: "ASIANEW", aws_secret_access_key: "new/secret+", aws_session_token: "newtoken==" };
const NO_TOKEN = { aws_access_key_id: "ASIANEW", aws_secret_access_key: "new/secret+", aws_session_token: undefined };

/** Joins lines with `eol`; the last line gets no line ending, so files without a final newline are easy to build. */
function file(eol: string, ...lines: string[]): string {
  return lines.join(eol);
}

describe("setSectionValues keeps every byte it does not own", () => {
  // Comments of both kinds, odd spacing, blank lines, an implicit top section holding owned key names, other
  // sections before and after, an extra key and comments inside the edited section, and no final newline.
  const before = (eol: string): string =>
    file(
      eol,
      "# top comment",
      "aws_access_key_id = TOP_LEVEL_KEEP",
      "; semicolon comment",
      "",
      "[default]",
      "aws_access_key_id=AKIADEFAULT",
      "aws_secret_access_key   =   defaultsecret",
      "",
      "",
      "[p-awsrunas] ; written by aws-runas",
      "# keep this note",
      "aws_access_key_id = ASIAOLD",
      "region=us-west-2",
      "  aws_secret_access_key:oldsecret",
      "; aws_session_token = commented out, not a key",
      "aws_session_token   =   oldtoken",
      "",
      "[after]",
      "aws_session_token = other-section-token",
      "x =   1",
    );

  for (const [label, eol] of [["LF", "\n"], ["CRLF", "\r\n"]] as const) {
    it(`rewrites owned lines in place (${label})`, () => {
      const want = file(
        eol,
        "# top comment",
        "aws_access_key_id = TOP_LEVEL_KEEP",
        "; semicolon comment",
        "",
        "[default]",
        "aws_access_key_id=AKIADEFAULT",
        "aws_secret_access_key   =   defaultsecret",
        "",
        "",
        "[p-awsrunas] ; written by aws-runas",
        "# keep this note",
        "aws_access_key_id = ASIANEW",
        "region=us-west-2",
        "  aws_secret_access_key:new/secret+",
        "; aws_session_token = commented out, not a key",
        "aws_session_token   =   newtoken==",
        "",
        "[after]",
        "aws_session_token = other-section-token",
        "x =   1",
      );
      assert.equal(setSectionValues(before(eol), "p-awsrunas", OWNED, NEW), want);
    });

    it(`removes the token line when there is no token (decision Q-13, ${label})`, () => {
      const want = file(
        eol,
        "# top comment",
        "aws_access_key_id = TOP_LEVEL_KEEP",
        "; semicolon comment",
        "",
        "[default]",
        "aws_access_key_id=AKIADEFAULT",
        "aws_secret_access_key   =   defaultsecret",
        "",
        "",
        "[p-awsrunas] ; written by aws-runas",
        "# keep this note",
        "aws_access_key_id = ASIANEW",
        "region=us-west-2",
        "  aws_secret_access_key:new/secret+",
        "; aws_session_token = commented out, not a key",
        "",
        "[after]",
        "aws_session_token = other-section-token",
        "x =   1",
      );
      assert.equal(setSectionValues(before(eol), "p-awsrunas", OWNED, NO_TOKEN), want);
    });

    it(`appends a missing section after one blank line, in the file's line ending (${label})`, () => {
      const want =
        before(eol) +
        eol +
        eol +
        file(
          eol,
          "[q-awsrunas]",
          "aws_access_key_id = ASIANEW",
          "aws_secret_access_key = new/secret+",
          "aws_session_token = newtoken==",
          "",
        );
      assert.equal(setSectionValues(before(eol), "q-awsrunas", OWNED, NEW), want);
    });

    it(`repeated runs leave one section and change nothing more (${label})`, () => {
      let text = before(eol);
      for (const name of ["q-awsrunas", "p-awsrunas"]) {
        const once = setSectionValues(text, name, OWNED, NEW);
        assert.equal(setSectionValues(once, name, OWNED, NEW), once);
        text = once;
      }
      const withoutToken = setSectionValues(text, "q-awsrunas", OWNED, NO_TOKEN);
      assert.equal(setSectionValues(withoutToken, "q-awsrunas", OWNED, NO_TOKEN), withoutToken);
      assert.equal(withoutToken.split("[q-awsrunas]").length - 1, 1);
      assert.equal(withoutToken.split("[p-awsrunas]").length - 1, 1);
    });
  }
});

describe("setSectionValues", () => {
  type Case = { name: string; text: string; section?: string; values?: Record<string, string | undefined>; want: string };
  const cases: Case[] = [
    {
      name: "an empty file gets just the section",
      text: "",
      want: "[p]\naws_access_key_id = ASIANEW\naws_secret_access_key = new/secret+\naws_session_token = newtoken==\n",
    },
    {
      name: "a file ending in a blank line gets no second one",
      text: "[a]\nx = 1\n\n",
      values: NO_TOKEN,
      want: "[a]\nx = 1\n\n[p]\naws_access_key_id = ASIANEW\naws_secret_access_key = new/secret+\n",
    },
    {
      name: "a file without a final newline is terminated before the new section",
      text: "[a]\nx = 1",
      values: { aws_access_key_id: "K" },
      want: "[a]\nx = 1\n\n[p]\naws_access_key_id = K\n",
    },
    {
      name: "nothing to write and no section: unchanged",
      text: "[a]\nx = 1",
      values: {},
      want: "[a]\nx = 1",
    },
    {
      name: "missing keys go after the section's last key line, before trailing comments and blanks",
      text: "[p]\n# note\nregion = eu-west-1\n; trailing comment\n\n[next]\ny = 2\n",
      want:
        "[p]\n# note\nregion = eu-west-1\naws_access_key_id = ASIANEW\naws_secret_access_key = new/secret+\n" +
        "aws_session_token = newtoken==\n; trailing comment\n\n[next]\ny = 2\n",
    },
    {
      name: "missing keys go right after the header of a section without keys",
      text: "[p]\n\n# only a comment\n[next]\n",
      values: { aws_access_key_id: "K" },
      want: "[p]\naws_access_key_id = K\n\n# only a comment\n[next]\n",
    },
    {
      name: "only the missing keys are added, the present one stays where it is",
      text: "[p]\naws_session_token=old\nregion = x\n",
      want:
        "[p]\naws_session_token=newtoken==\nregion = x\n" +
        "aws_access_key_id = ASIANEW\naws_secret_access_key = new/secret+\n",
    },
    {
      name: "a section at the end of a file without a final newline stays unterminated",
      text: "[a]\n\n[p]\nregion = x",
      values: { aws_access_key_id: "K", aws_session_token: "T" },
      want: "[a]\n\n[p]\nregion = x\naws_access_key_id = K\naws_session_token = T",
    },
    {
      name: "a header alone at the end of the file",
      text: "[p]",
      values: { aws_access_key_id: "K" },
      want: "[p]\naws_access_key_id = K",
    },
    {
      name: "removing the unterminated last line keeps the file unterminated",
      text: "[p]\naws_access_key_id = K\naws_session_token = T",
      values: { aws_access_key_id: "K2" },
      want: "[p]\naws_access_key_id = K2",
    },
    {
      name: "a header with inner spaces matches",
      text: "[ p ]\naws_access_key_id = OLD\n",
      values: { aws_access_key_id: "K" },
      want: "[ p ]\naws_access_key_id = K\n",
    },
    {
      name: "only the first of duplicate sections is edited",
      text: "[p]\naws_access_key_id = ONE\n[p]\naws_access_key_id = TWO\n",
      values: { aws_access_key_id: "K" },
      want: "[p]\naws_access_key_id = K\n[p]\naws_access_key_id = TWO\n",
    },
    {
      name: "a duplicate owned key inside the section is dropped",
      text: "[p]\naws_access_key_id = ONE\nx = 1\naws_access_key_id = TWO\n",
      values: { aws_access_key_id: "K" },
      want: "[p]\naws_access_key_id = K\nx = 1\n",
    },
    {
      name: "keys are case-sensitive, as go-ini reads them",
      text: "[p]\nAWS_ACCESS_KEY_ID = upper\n",
      values: { aws_access_key_id: "K" },
      want: "[p]\nAWS_ACCESS_KEY_ID = upper\naws_access_key_id = K\n",
    },
    {
      name: "a section name full of regex characters",
      text: "[x]\n",
      section: "arn:aws:iam::123456789012:role/Admin+(x)-awsrunas",
      values: { aws_access_key_id: "K" },
      want: "[x]\n\n[arn:aws:iam::123456789012:role/Admin+(x)-awsrunas]\naws_access_key_id = K\n",
    },
    {
      name: "a similar section name does not match",
      text: "[p-awsrunas-old]\naws_access_key_id = OLD\n",
      section: "p-awsrunas",
      values: { aws_access_key_id: "K" },
      want: "[p-awsrunas-old]\naws_access_key_id = OLD\n\n[p-awsrunas]\naws_access_key_id = K\n",
    },
    {
      name: "an empty value is rewritten keeping its spacing",
      text: "[p]\naws_access_key_id =\naws_secret_access_key =  \n",
      values: { aws_access_key_id: "K", aws_secret_access_key: "S" },
      want: "[p]\naws_access_key_id =K\naws_secret_access_key =  S\n",
    },
    {
      name: "an inline comment on an owned line goes with the old value",
      text: "[p]\naws_access_key_id = OLD ; rotated monthly\n",
      values: { aws_access_key_id: "K" },
      want: "[p]\naws_access_key_id = K\n",
    },
    {
      name: "a mixed-ending file uses the ending of its first line for new lines",
      text: "[a]\r\nx = 1\n",
      values: { aws_access_key_id: "K" },
      want: "[a]\r\nx = 1\n\r\n[p]\r\naws_access_key_id = K\r\n",
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(setSectionValues(c.text, c.section ?? "p", OWNED, c.values ?? NEW), c.want));
  }

  it("does not take a value from Object.prototype for a key named like one of its members", () => {
    assert.equal(setSectionValues("[a]\n", "p", ["toString", "k"], { k: "v" }), "[a]\n\n[p]\nk = v\n");
  });

  type Bad = { name: string; section: string; owned: string[]; values: Record<string, string | undefined>; message: string };
  const bad: Bad[] = [
    {
      name: "a value with a line break",
      section: "p",
      owned: OWNED,
      values: { aws_session_token: "secret\nline" },
      message: "the value for aws_session_token contains a line break and cannot be written to an INI file",
    },
    { name: "an empty section name", section: "", owned: OWNED, values: {}, message: '"" cannot be used as an INI section name' },
    { name: "a section name with ]", section: "a]b", owned: OWNED, values: {}, message: '"a]b" cannot be used as an INI section name' },
    { name: "a key with =", section: "p", owned: ["a=b"], values: {}, message: '"a=b" cannot be used as a key in an INI file' },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}`, () => {
      assert.throws(
        () => setSectionValues("", c.section, c.owned, c.values),
        (e: unknown) => e instanceof RunasError && e.code === "INVALID_VALUE" && e.message === c.message,
      );
    });
  }
});
