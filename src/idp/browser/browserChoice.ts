/**
 * Which program the `browser` provider starts (idp.md §9.1): `auth_browser` = `chrome` (or unset) means Google Chrome
 * or Chromium, `msedge` means Microsoft Edge, and a path means that program. Names without a directory are looked up
 * on PATH when started, so no PATH handling happens here.
 */
import path from "node:path";

/** The programs to try, in order, and what to say when a fallback is used or nothing starts. */
export interface BrowserChoice {
  /** Absolute paths or names found on PATH; the first one that starts is the browser. */
  candidates: string[];
  /** Candidates from this index on stand in for the browser asked for; `fallbackWarning` is logged when one starts. */
  fallbackFrom?: number;
  fallbackWarning?: string;
  /** What the user asked for, for messages: "Chrome or Chromium", "Microsoft Edge", or the path. */
  wanted: string;
  /** True when auth_browser named a program by its path. */
  explicitPath: boolean;
}

const LINUX_CHROME = ["google-chrome", "google-chrome-stable", "chromium", "chromium-browser"];
const LINUX_EDGE = ["microsoft-edge", "microsoft-edge-stable"];

/**
 * The candidates for `authBrowser` on `platform`. `homeDir` adds the per-user install places (macOS ~/Applications,
 * Windows %LOCALAPPDATA% under the profile). An unknown value (config validation normally rejects it) is logged
 * by the caller through `fallbackWarning` and treated as chrome, as upstream did.
 */
export function chooseBrowser(o: { authBrowser?: string; platform: NodeJS.Platform; homeDir: string }): BrowserChoice {
  const value = (o.authBrowser ?? "").trim();
  if (isPath(value, o.platform)) {
    return { candidates: [value], wanted: value, explicitPath: true };
  }
  const chrome = chromeCandidates(o.platform, o.homeDir);
  if (value === "" || value === "chrome") {
    return { candidates: chrome, wanted: "Chrome or Chromium", explicitPath: false };
  }
  if (value === "msedge") {
    const edge = edgeCandidates(o.platform);
    return {
      candidates: [...edge, ...chrome],
      fallbackFrom: edge.length,
      fallbackWarning: `auth_browser is msedge but Microsoft Edge is not installed where aws-runas looks on ${o.platform}; using Chrome`,
      wanted: "Microsoft Edge or Chrome",
      explicitPath: false,
    };
  }
  return {
    candidates: chrome,
    fallbackFrom: 0,
    fallbackWarning: `auth_browser "${value}" is not chrome, msedge or the path of a browser; using Chrome`,
    wanted: "Chrome or Chromium",
    explicitPath: false,
  };
}

/** A value with a directory part names a program file rather than a browser. */
function isPath(value: string, platform: NodeJS.Platform): boolean {
  if (value === "") return false;
  const p = platform === "win32" ? path.win32 : path.posix;
  return p.isAbsolute(value) || value.includes("/") || (platform === "win32" && value.includes("\\"));
}

function chromeCandidates(platform: NodeJS.Platform, homeDir: string): string[] {
  if (platform === "darwin") {
    const apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium"];
    return [
      ...apps.map((a) => path.posix.join("/Applications", a)),
      ...apps.map((a) => path.posix.join(homeDir, "Applications", a)),
      ...LINUX_CHROME,
    ];
  }
  if (platform === "win32") {
    const chrome = "Google\\Chrome\\Application\\chrome.exe";
    return [
      path.win32.join("C:\\Program Files", chrome),
      path.win32.join("C:\\Program Files (x86)", chrome),
      path.win32.join(homeDir, "AppData", "Local", chrome),
      "chrome.exe",
    ];
  }
  return [...LINUX_CHROME];
}

function edgeCandidates(platform: NodeJS.Platform): string[] {
  if (platform === "darwin") return ["/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"];
  if (platform === "win32") {
    const edge = "Microsoft\\Edge\\Application\\msedge.exe";
    return [path.win32.join("C:\\Program Files (x86)", edge), path.win32.join("C:\\Program Files", edge)];
  }
  return [...LINUX_EDGE];
}
