import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeEntities, readAttributes, tagsOf, withoutComments, withoutScripts } from "./htmlTags.js";

/** The attributes of the first tag of `html`, as a plain object. */
function attributesOf(html: string): Record<string, string> {
  const name = /^<[a-z0-9]+/i.exec(html);
  assert.ok(name !== null, html);
  return Object.fromEntries(readAttributes(html, name[0].length).attrs);
}

describe("readAttributes", () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ["double quotes", `<input type="hidden" name="a" value="b">`, { type: "hidden", name: "a", value: "b" }],
    ["single quotes", `<input type='hidden' name='a' value='b "c"'>`, { type: "hidden", name: "a", value: 'b "c"' }],
    ["unquoted values", `<input type=hidden name=a value=QUJD+/=>`, { type: "hidden", name: "a", value: "QUJD+/=" }],
    ["upper-case names are lower-cased, values kept", `<INPUT NAME="SAMLResponse" VALUE="QuJd">`, { name: "SAMLResponse", value: "QuJd" }],
    ["spaces around =, newlines between attributes", `<input\n  name = "a"\n\tvalue =\n'b' >`, { name: "a", value: "b" }],
    ["the first of two same-named attributes counts", `<input value="one" VALUE="two">`, { value: "one" }],
    ["boolean attributes are empty strings", `<input hidden checked name="a">`, { hidden: "", checked: "", name: "a" }],
    ["a self-closing tag", `<input name="a"/>`, { name: "a" }],
    ["values are entity-decoded", `<form action="/x?a=1&amp;b=2&#x3d;">`, { action: "/x?a=1&b=2=" }],
    ["a tag cut off at the end of the text", `<input name="a" value="QUJD`, { name: "a", value: "QUJD" }],
    ["a tag without attributes", `<form>`, {}],
  ];
  for (const [what, html, expected] of cases) {
    it(what, () => {
      assert.deepEqual(attributesOf(html), expected);
    });
  }

  it("ends just past the tag's >, also when a quoted value holds one", () => {
    const html = `<a title="x > y" href=b>text`;
    const { attrs, end } = readAttributes(html, 2);
    assert.equal(attrs.get("title"), "x > y");
    assert.equal(html.slice(end), "text");
    assert.equal(readAttributes(`<a href="b`, 2).end, `<a href="b`.length);
  });
});

describe("decodeEntities", () => {
  const cases: Array<[string, string, string]> = [
    ["numeric, hex in either case and decimal", "&#x2b;&#X2F;&#43;&#61;", "+/+="],
    ["the named ones IdP templates write", "&amp;&lt;&gt;&quot;&apos;&equals;&plus;&sol;", `&<>"'=+/`],
    ["named entities in any case", "&AMP;&Quot;", '&"'],
    ["a non-breaking space", "a&nbsp;b", "a\u00a0b"],
    ["an unknown entity is kept", "a&bogus;b", "a&bogus;b"],
    ["code point zero and beyond Unicode are kept", "&#0;&#x110000;", "&#0;&#x110000;"],
    ["an ampersand without a semicolon is kept", "a&b=c&amp", "a&b=c&amp"],
    ["decoding is done once", "&amp;lt;", "&lt;"],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => {
      assert.equal(decodeEntities(input), expected);
    });
  }
});

describe("tagsOf", () => {
  it("finds opening and closing tags by name, in order, with their attributes", () => {
    const html = `<FORM action="/a"><inputs name="no"><input name="x" value="1"></form><p><input name="y">`;
    const tags = [...tagsOf(html, ["form", "input"])].map((t) => [t.closing ? `/${t.name}` : t.name, Object.fromEntries(t.attrs)]);
    assert.deepEqual(tags, [
      ["form", { action: "/a" }],
      ["input", { name: "x", value: "1" }],
      ["/form", {}],
      ["input", { name: "y" }],
    ]);
  });

  it("without names, every tag; each ends just past its >", () => {
    const html = `<div id="e" class="a b">Invalid <b>password</b></div>`;
    const tags = [...tagsOf(html)];
    assert.deepEqual(
      tags.map((t) => `${t.closing ? "/" : ""}${t.name}`),
      ["div", "b", "/b", "/div"],
    );
    assert.equal(html.slice(tags[0]?.end), "Invalid <b>password</b></div>");
  });

  it("a tag name must end at a space, / or >: no custom elements or text like a<b", () => {
    assert.deepEqual([...tagsOf(`<input-x name="a"> 1<2 <my-form>`)], []);
  });
});

describe("withoutComments and withoutScripts", () => {
  const page =
    `<!-- <input name="old"> --><script type="text/javascript">var s = '<input name="js">';</script>` +
    `<STYLE>p::after { content: "<input>" }</STYLE ><input name="real">`;

  it("withoutComments drops comments only", () => {
    assert.deepEqual([...tagsOf(withoutComments(page), ["input"])].map((t) => t.attrs.get("name")), ["js", undefined, "real"]);
  });

  it("withoutScripts drops comments and the bodies of script and style", () => {
    assert.deepEqual([...tagsOf(withoutScripts(page), ["input"])].map((t) => t.attrs.get("name")), ["real"]);
  });
});
