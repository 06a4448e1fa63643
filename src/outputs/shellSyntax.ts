import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import type { EnvVar } from "./envVars.js";
import type { Shell } from "./shell.js";

/**
 * The shell whose syntax to print: `forced` (the --shell flag) if given; else from env SHELL's basename (fish → fish;
 * anything else set → posix); else on win32 → cmd (upstream); else posix.
 */
export function detectShell(env: Env, platform: NodeJS.Platform, forced?: Shell): Shell {
  if (forced !== undefined) return forced;
  const shell = env["SHELL"]?.trim();
  if (shell) {
    // SHELL may be a Windows path (git-bash, Cygwin) or name an .exe, so split on both separators.
    const base = (shell.split(/[\\/]/).pop() ?? "").toLowerCase().replace(/\.exe$/, "");
    return base === "fish" ? "fish" : "posix";
  }
  // A Windows console without SHELL is cmd.exe or PowerShell; upstream prints cmd's `set` form there (core.md §5.2).
  return platform === "win32" ? "cmd" : "posix";
}

/** One statement per variable, each ending in "\n". */
export function renderEnvStatements(vars: readonly EnvVar[], shell: Shell): string {
  let out = "";
  for (const [name, value] of vars) {
    // Names are interpolated unquoted in every syntax, so only plain identifiers may pass.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new RunasError("INVALID_VALUE", `"${name}" is not a valid environment variable name`);
    }
    out += `${statement(name, value, shell)}\n`;
  }
  return out;
}

function statement(name: string, value: string, shell: Shell): string {
  switch (shell) {
    case "posix":
      // Inside POSIX single quotes nothing is special; a quote ends the string, so emit ' \' ' and reopen.
      return `export ${name}='${value.replaceAll("'", `'\\''`)}'`;
    case "fish":
      // fish single quotes treat only \ and ' specially, both escaped with a backslash.
      return `set -gx ${name} '${value.replace(/[\\']/g, "\\$&")}'`;
    case "powershell":
      return `$Env:${name} = "${powershellEscape(value)}"`;
    case "cmd":
      // cmd.exe has no quoting that survives every character: `set "N=V"` still expands %VAR%, and ^ escapes behave
      // differently inside and outside quotes. Refuse rather than print something that runs differently.
      if (/[&|<>^"%\r\n]/.test(value)) {
        throw new RunasError(
          "INVALID_VALUE",
          `the value of ${name} contains characters cmd.exe cannot take safely; ` +
            "use --shell powershell or --shell posix",
        );
      }
      return `set ${name}=${value}`;
  }
}

/**
 * Escapes for a PowerShell double-quoted string: backtick before ` " $ and the typographic double quotes PowerShell
 * also accepts as string delimiters; line breaks become `n / `r so every statement stays on one line (output piped
 * to Invoke-Expression arrives line by line).
 */
function powershellEscape(value: string): string {
  return value.replace(/[`"$\u201C\u201D\u201E\r\n]/g, (c) => (c === "\n" ? "`n" : c === "\r" ? "`r" : `\`${c}`));
}
