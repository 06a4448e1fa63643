/**
 * The values `auth_browser` takes (core.md §2.6): upstream's `chrome` and `msedge`, and the full path of a
 * Chromium-based browser's executable (Brave, Vivaldi, a portable Chrome, a wrapper script), which the `browser`
 * provider starts as it is.
 */
export const AUTH_BROWSER_NAMES = ["chrome", "msedge"] as const;

/** What the error messages tell the user to write. */
export const AUTH_BROWSER_CHOICES = "auth_browser = chrome, auth_browser = msedge, or the full path of a Chromium-based browser";

/** True for `chrome`, `msedge` (exact, as upstream compares them) or an absolute path (POSIX or Windows). */
export function isAuthBrowser(value: string): boolean {
  return (AUTH_BROWSER_NAMES as readonly string[]).includes(value) || value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value);
}
