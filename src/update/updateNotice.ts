import type { UpdateCheck } from "./checkForUpdate.js";

/** The one line the update check prints, and where: stdout for the answer, a warning when there is none. */
export interface UpdateNotice {
  stream: "stdout" | "warn";
  text: string;
}

/**
 * The line for an update check (core.md §1.9 as changed by decisions.md Q-05): a newer version names itself and the
 * npm command that installs it; otherwise "up to date", or why the check could not be done.
 */
export function updateNotice(name: string, version: string, check: UpdateCheck): UpdateNotice {
  switch (check.kind) {
    case "newer":
      return {
        stream: "stdout",
        text: `New version of ${name} available: ${check.latest} (this is ${version}); ` +
          `install it with: npm install -g ${name}@latest`,
      };
    case "current":
      return { stream: "stdout", text: `${name} ${version} is up to date` };
    case "unavailable":
      return { stream: "warn", text: `cannot check for a newer version of ${name}: ${check.reason}` };
  }
}
