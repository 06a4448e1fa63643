import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import { decodePassword, encodePassword, looksObfuscated } from "./passwordObfuscation.js";

/** The key of upstream's own test vectors (core.md §7.2). */
const KEY = "...mY not very Secure kEy...";

const isCode = (code: string, message?: string) => (e: unknown) =>
  e instanceof RunasError && e.code === code && (message === undefined || e.message === message);

describe("decodePassword: upstream's test vectors (core.md §7.2)", () => {
  const vectors: [string, string][] = [
    ["10$QVYF6DHFP4SRM$zjim/p3MVYKCOgn8y94iV6lD3NMdEs4+T0Ydepare7Q", "short"],
    [
      "14$HZRAUH2IBDVKW$RQGvVSJo8ldii4Q6dMqUMk85Y9odLyJmrVPssWBt1zk9tlcuvM8Gs0ARo3f5J+TJVokRas03m60uCWpucyepJreNRRtEUHanqRTNDnon7g4BOoeHIkFd2htQgrrviLiP",
      "something not a multiple of the encryption blocksize",
    ],
    ["a$YHP4ZOTFYIFMG$gt+Xca1ZauWqgkGfVB+gaLLqDKVoC4BdSYWQurLeJzD9pRhEkJspuCcgp+CYfKLg", "1234567890ABCDEF"],
    [
      "12$LACIR5WCCXMEW$ensp4NRwdzCyNWzxBvbAbfk7tKEqPo73yLFXC2QH84LzvLYZDD1IrKwwSRonewEKhEDZUH+NSAYiqohQ7gt6cw",
      "0123456789abcdef1234567890ABCDEF",
    ],
  ];
  for (const [blob, plain] of vectors) {
    it(`decodes the cost-${Number.parseInt(blob, 16)} vector to "${plain}"`, () => {
      assert.equal(looksObfuscated(blob), true);
      assert.equal(decodePassword(blob, KEY), plain);
    });
  }
});

describe("encodePassword", () => {
  const passwords = ["", "a", "short", "1234567890ABCDEF", "exactly-12ch", "spaces and = signs == ", "héllo wörld ✓ 🔑"];
  for (const password of passwords) {
    it(`round-trips ${JSON.stringify(password)}`, () => {
      const blob = encodePassword(password, "https://idp.example.com/app?x=1", 10);
      assert.match(blob, /^a\$[A-Z2-7]{13}\$[A-Za-z0-9+/]+$/);
      assert.equal(decodePassword(blob, "https://idp.example.com/app?x=1"), password);
    });
  }

  it("writes the cost as lower-case hex and the data as whole blocks after the IV", () => {
    const blob = encodePassword("short", KEY, 11);
    const [cost, salt, data] = blob.split("$");
    assert.equal(cost, "b");
    assert.equal(salt?.length, 13);
    // "short" → 7 base64 characters → one 16-byte block, plus the IV: 32 bytes, 43 unpadded base64 characters.
    assert.equal(Buffer.from(data ?? "", "base64").length, 32);
    assert.equal(data?.length, 43);
  });

  it("the empty password is the IV alone", () => {
    const data = encodePassword("", KEY, 10).split("$")[2] ?? "";
    assert.equal(Buffer.from(data, "base64").length, 16);
  });

  it("uses a fresh salt and IV each time", () => {
    assert.notEqual(encodePassword("same", KEY, 10), encodePassword("same", KEY, 10));
  });

  it("defaults to cost 18, upstream's", () => {
    const blob = encodePassword("pw", KEY);
    assert.equal(blob.split("$")[0], "12");
    assert.equal(decodePassword(blob, KEY), "pw");
  });

  const badCosts = [0, -1, 1.5, 21, Number.NaN];
  for (const cost of badCosts) {
    it(`refuses cost ${cost}`, () => {
      assert.throws(
        () => encodePassword("pw", KEY, cost),
        isCode("INVALID_VALUE", `the password obfuscation cost must be a whole number from 1 to 20, not ${cost}`),
      );
    });
  }
});

describe("decodePassword failures: a clear error, never a crash or the blob", () => {
  const good = encodePassword("secret-pw", KEY, 10);
  const [, goodSalt, goodData] = good.split("$") as [string, string, string];
  const cases: [string, string, string][] = [
    ["too few parts (core.md §7.2)", "x$a", "the obfuscated password is malformed: it does not have three parts separated by $"],
    ["a cost overflow (core.md §7.2)", "100$ABC$xyz", "the obfuscated password is malformed: its cost 256 is outside 1 to 20"],
    ["a lower-case salt (core.md §7.2)", "10$q0lxe$adb", "the obfuscated password is malformed: its salt is not upper-case base32"],
    ["cost 0", `0$${goodSalt}$${goodData}`, "the obfuscated password is malformed: its cost 0 is outside 1 to 20"],
    ["a cost that is not hex", `1g$${goodSalt}$${goodData}`, "the obfuscated password is malformed: its cost is not a hexadecimal number"],
    ["a signed cost", `+a$${goodSalt}$${goodData}`, "the obfuscated password is malformed: its cost is not a hexadecimal number"],
    ["an empty cost", `$${goodSalt}$${goodData}`, "the obfuscated password is malformed: its cost is not a hexadecimal number"],
    ["a salt of impossible length", `a$ABC$${goodData}`, "the obfuscated password is malformed: its salt is not upper-case base32"],
    ["padded data", `a$${goodSalt}$${goodData}=`, "the obfuscated password is malformed: its data is not base64"],
    ["data with a foreign character", `a$${goodSalt}$${goodData.slice(0, -1)}!`, "the obfuscated password is malformed: its data is not base64"],
    ["data shorter than a block (Q-10)", `a$${goodSalt}$AAAAAAAA`, "the obfuscated password is malformed: its data is shorter than one 16-byte block"],
    ["no data at all", `a$${goodSalt}$`, "the obfuscated password is malformed: its data is shorter than one 16-byte block"],
    ["data not block aligned (Q-10)", `a$${goodSalt}$${goodData.slice(0, -4)}`, "the obfuscated password is malformed: its data is not a whole number of 16-byte blocks"],
  ];
  for (const [what, blob, message] of cases) {
    it(what, () => {
      assert.throws(() => decodePassword(blob, KEY), isCode("PASSWORD_DECODE", message));
    });
  }

  it("a different key (the URL changed) is an error, not garbage", () => {
    assert.throws(
      () => decodePassword(good, "https://another.example.com/"),
      isCode("PASSWORD_DECODE", "the obfuscated password does not decode with this key (was the URL changed?)"),
    );
  });

  it("a different salt is an error too", () => {
    assert.throws(() => decodePassword(`a$AAAAAAAAAAAAA$${goodData}`, KEY), isCode("PASSWORD_DECODE"));
  });

  it("extra $ parts are ignored, as upstream's decoder does", () => {
    assert.equal(decodePassword(`${good}$extra`, KEY), "secret-pw");
  });

  it("upper-case hex in the cost is read, as Go's ParseInt does", () => {
    const blob = encodePassword("pw", KEY, 11);
    assert.equal(decodePassword(blob.replace(/^b\$/, "B$"), KEY), "pw");
  });
});

describe("looksObfuscated", () => {
  const blob = encodePassword("pw", KEY, 10);
  const cases: [string, boolean][] = [
    [blob, true],
    [`${blob}$more`, true],
    ["12$LACIR5WCCXMEW$ensp4NRwdzCyNWzxBvbAbfk7tKEqPo73yLFXC2QH84LzvLYZDD1IrKwwSRonewEKhEDZUH+NSAYiqohQ7gt6cw", true],
    ["", false],
    ["hunter2", false],
    ["pa$$word", false],
    ["ab$CD$ef", false],
    ["x$a", false],
    ["12$lacir5wccxmew$ensp4NRwdzCyNWzxBvbAbfk7tKEqPo73yLFXC2QH84", false],
    ["123$LACIR5WCCXMEW$ensp4NRwdzCyNWzxBvbAbfk7tKEqPo73yLFXC2QH84", false],
    ["12$LACIR5WCCXMEW$short", false],
    [`12$LACIR5WCCXMEW$${"A".repeat(21)}`, false],
    [`12$LACIR5WCCXMEW$${"A".repeat(22)}`, true],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value.slice(0, 30))} → ${expected}`, () => {
      assert.equal(looksObfuscated(value), expected);
    });
  }
});
