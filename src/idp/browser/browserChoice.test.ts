import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseBrowser } from "./browserChoice.js";

const LINUX_CHROME = ["google-chrome", "google-chrome-stable", "chromium", "chromium-browser"];
const MAC_CHROME = [
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Users/ann/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Users/ann/Applications/Chromium.app/Contents/MacOS/Chromium",
  ...LINUX_CHROME,
];
const WIN_CHROME = [
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Users\\ann\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe",
  "chrome.exe",
];

describe("which browser auth_browser starts (idp.md §9.1)", () => {
  const linux = { platform: "linux" as const, homeDir: "/home/ann" };
  const mac = { platform: "darwin" as const, homeDir: "/Users/ann" };
  const win = { platform: "win32" as const, homeDir: "C:\\Users\\ann" };

  it("unset or chrome on Linux: Chrome or Chromium on PATH, no fallback", () => {
    for (const authBrowser of [undefined, "", "chrome"]) {
      assert.deepEqual(chooseBrowser({ ...linux, ...(authBrowser === undefined ? {} : { authBrowser }) }), {
        candidates: LINUX_CHROME,
        wanted: "Chrome or Chromium",
        explicitPath: false,
      });
    }
  });

  it("chrome on macOS: the app bundles (system, then the user's), then PATH", () => {
    assert.deepEqual(chooseBrowser({ ...mac, authBrowser: "chrome" }).candidates, MAC_CHROME);
  });

  it("chrome on Windows: the install paths, then PATH", () => {
    assert.deepEqual(chooseBrowser({ ...win, authBrowser: "chrome" }).candidates, WIN_CHROME);
  });

  it("msedge on Windows: upstream's Edge path first, then Chrome as a fallback with a warning", () => {
    const c = chooseBrowser({ ...win, authBrowser: "msedge" });
    assert.deepEqual(c.candidates, [
      "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
      "C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe",
      ...WIN_CHROME,
    ]);
    assert.equal(c.fallbackFrom, 2);
  });

  it("msedge on macOS: the Edge app bundle, then Chrome", () => {
    const c = chooseBrowser({ ...mac, authBrowser: "msedge" });
    assert.deepEqual(c.candidates, ["/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge", ...MAC_CHROME]);
    assert.equal(c.fallbackFrom, 1);
  });

  it("msedge on Linux: microsoft-edge on PATH, else Chrome with a WARN naming the platform", () => {
    const c = chooseBrowser({ ...linux, authBrowser: "msedge" });
    assert.deepEqual(c.candidates, ["microsoft-edge", "microsoft-edge-stable", ...LINUX_CHROME]);
    assert.equal(c.fallbackFrom, 2);
    assert.equal(
      c.fallbackWarning,
      "auth_browser is msedge but Microsoft Edge is not installed where aws-runas looks on linux; using Chrome",
    );
  });

  it("a path is that program and nothing else", () => {
    for (const [o, p] of [
      [linux, "/opt/chromium/headless.sh"],
      [linux, "./bin/chrome"],
      [mac, "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser"],
      [win, "D:\\Portable\\chrome.exe"],
      [win, "C:/tools/chrome.exe"],
    ] as const) {
      assert.deepEqual(chooseBrowser({ ...o, authBrowser: p }), { candidates: [p], wanted: p, explicitPath: true });
    }
  });

  it("any other value is Chrome, with a warning (config validation normally stops it first)", () => {
    const c = chooseBrowser({ ...linux, authBrowser: "safari" });
    assert.deepEqual(c.candidates, LINUX_CHROME);
    assert.equal(c.fallbackFrom, 0);
    assert.equal(c.fallbackWarning, 'auth_browser "safari" is not chrome, msedge or the path of a browser; using Chrome');
  });
});
