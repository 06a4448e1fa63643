/**
 * A stand-in for the user's browser, run as the BROWSER command by the CLI under test: it records that it was
 * opened (one line in $PLAYER_LOG) and walks the real sign-in pages of the test OpenID Provider to the loopback
 * redirect, delivering it to the CLI's listener as a browser would.
 */
import { appendFileSync } from "node:fs";
import { playBrowser } from "../fakes/openIdProvider.js";

const url = process.argv[2] ?? "";
appendFileSync(process.env.PLAYER_LOG ?? "/dev/null", `${url}\n`);
await playBrowser(url, {
  stopAt: (u) => u.hostname === "127.0.0.1" && u.pathname === "/callback",
  visit: true,
});
