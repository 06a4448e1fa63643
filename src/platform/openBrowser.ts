import type { Env } from "../ports.js";

/**
 * Opens `url` in the user's browser without waiting for it: the command in BROWSER when set (the common convention;
 * the URL is passed as its one argument), else the platform's opener (xdg-open, open, or start). Resolves false when
 * nothing could be started, so the caller falls back to printing the URL.
 */
export async function openBrowser(url: string, env: Env, platform: NodeJS.Platform): Promise<boolean> {
  const { spawn } = await import("node:child_process");
  const browser = env.BROWSER;
  const [command, args] =
    browser !== undefined && browser !== ""
      ? [browser, [url]]
      : platform === "darwin"
        ? ["open", [url]]
        : platform === "win32"
          ? ["cmd", ["/c", "start", "", url]]
          : ["xdg-open", [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: "ignore", detached: true, env: env as NodeJS.ProcessEnv });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
