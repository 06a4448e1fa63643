import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import type { EnvVar } from "./envVars.js";
import type { Shell } from "./shell.js";
import { detectShell, renderEnvStatements } from "./shellSyntax.js";

describe("detectShell", () => {
  const cases: { name: string; env: Env; platform: NodeJS.Platform; forced?: Shell; want: Shell }[] = [
    { name: "bash", env: { SHELL: "/bin/bash" }, platform: "linux", want: "posix" },
    { name: "zsh on macOS", env: { SHELL: "/bin/zsh" }, platform: "darwin", want: "posix" },
    { name: "fish", env: { SHELL: "/usr/local/bin/fish" }, platform: "darwin", want: "fish" },
    { name: "bare fish", env: { SHELL: "fish" }, platform: "linux", want: "fish" },
    { name: "fish.exe on Windows", env: { SHELL: "C:\\Programs\\fish\\fish.exe" }, platform: "win32", want: "fish" },
    { name: "a name merely containing fish", env: { SHELL: "/usr/bin/fishy" }, platform: "linux", want: "posix" },
    { name: "git-bash on Windows", env: { SHELL: "/usr/bin/bash" }, platform: "win32", want: "posix" },
    { name: "Windows without SHELL", env: {}, platform: "win32", want: "cmd" },
    { name: "Windows with an empty SHELL", env: { SHELL: "" }, platform: "win32", want: "cmd" },
    { name: "Linux without SHELL", env: {}, platform: "linux", want: "posix" },
    { name: "Linux with a blank SHELL", env: { SHELL: "  " }, platform: "linux", want: "posix" },
    { name: "--shell wins over SHELL", env: { SHELL: "fish" }, platform: "linux", forced: "powershell", want: "powershell" },
    { name: "--shell wins on Windows", env: {}, platform: "win32", forced: "posix", want: "posix" },
    { name: "--shell cmd anywhere", env: { SHELL: "/bin/sh" }, platform: "linux", forced: "cmd", want: "cmd" },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(detectShell(c.env, c.platform, c.forced), c.want));
  }
});

describe("renderEnvStatements", () => {
  const vars: EnvVar[] = [
    ["AWS_REGION", "us-east-1"],
    ["AWS_SESSION_TOKEN", "a'b\\c\"d$e`f"],
  ];
  const cases: [Shell, string][] = [
    ["posix", "export AWS_REGION='us-east-1'\nexport AWS_SESSION_TOKEN='a'\\''b\\c\"d$e`f'\n"],
    ["fish", "set -gx AWS_REGION 'us-east-1'\nset -gx AWS_SESSION_TOKEN 'a\\'b\\\\c\"d$e`f'\n"],
    ["powershell", '$Env:AWS_REGION = "us-east-1"\n$Env:AWS_SESSION_TOKEN = "a\'b\\c`"d`$e``f"\n'],
  ];
  for (const [shell, want] of cases) {
    it(`${shell} syntax`, () => assert.equal(renderEnvStatements(vars, shell), want));
  }

  it("cmd syntax for plain values", () => {
    assert.equal(
      renderEnvStatements([["AWS_REGION", "us-east-1"], ["AWS_SECRET_ACCESS_KEY", "abc/DEF+ghi= j'k"]], "cmd"),
      "set AWS_REGION=us-east-1\nset AWS_SECRET_ACCESS_KEY=abc/DEF+ghi= j'k\n",
    );
  });

  it("PowerShell keeps each statement on one line", () => {
    const out = renderEnvStatements([["V", "a\r\nb“c”d„e"]], "powershell");
    assert.equal(out, '$Env:V = "a`r`nb`“c`”d`„e"\n');
  });

  for (const bad of ["&", "|", "<", ">", "^", '"', "%", "\n", "\r"]) {
    it(`cmd refuses a value containing ${JSON.stringify(bad)}`, () => {
      assert.throws(
        () => renderEnvStatements([["AWS_SESSION_TOKEN", `secret${bad}value`]], "cmd"),
        (e: unknown) =>
          e instanceof RunasError &&
          e.code === "INVALID_VALUE" &&
          e.message ===
            "the value of AWS_SESSION_TOKEN contains characters cmd.exe cannot take safely; " +
              "use --shell powershell or --shell posix",
      );
    });
  }

  for (const name of ["", "1ABC", "A B", "A;rm", "A=B", "$X"]) {
    it(`refuses the variable name ${JSON.stringify(name)}`, () => {
      assert.throws(
        () => renderEnvStatements([[name, "v"]], "posix"),
        (e: unknown) => e instanceof RunasError && e.code === "INVALID_VALUE",
      );
    });
  }

  it("nothing to print is an empty string", () => assert.equal(renderEnvStatements([], "posix"), ""));
});

/** Values that break naive quoting in at least one shell. */
const NASTY = [
  "plain",
  "",
  "it's",
  "'",
  "''\\''",
  "with spaces  and\ttab",
  "$HOME ${PATH} $(echo hi) `echo hi` $",
  "back\\slash \\\\ \\n \\' \\",
  "line1\nline2\n",
  "\r\ncrlf\r\n",
  'say "hi" ""',
  "semi;colon & amp | pipe > gt < lt * ? [a] {b,c} ~",
  "!bang !! !$ ^caret %PATH%",
  "-n",
  "-- --x",
  "#hash",
  "a=b",
  "unicode ünïcødé ✓ “smart” ‘single’ „low“",
  "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+/ab==",
];

/**
 * Runs `statements` in a real shell followed by a Node child that reports the RT_* variables it inherited, which
 * proves both that the values survive the shell's parser unchanged and that they are exported.
 */
function roundTrip(shell: "sh" | "bash" | "fish" | "pwsh", statements: string): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runas-"));
  try {
    const reporter = path.join(dir, "report.mjs");
    fs.writeFileSync(
      reporter,
      "const vars = Object.entries(process.env).filter(([k]) => k.startsWith('RT_'));\n" +
        "process.stdout.write(JSON.stringify(Object.fromEntries(vars)));\n",
    );
    const node = process.execPath;
    const script =
      shell === "pwsh" ? `${statements}& '${node}' '${reporter}'\n` : `${statements}'${node}' '${reporter}'\n`;
    // PowerShell runs only .ps1 files with -File; the others get the text as `-c`, the way `eval` would see it.
    const file = path.join(dir, "script.ps1");
    fs.writeFileSync(file, script);
    const args =
      shell === "pwsh"
        ? ["-NoProfile", "-NonInteractive", "-File", file]
        : shell === "fish"
          ? ["--no-config", "-c", script]
          : ["-c", script];
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("RT_")));
    const r = spawnSync(shell, args, { encoding: "utf8", env });
    assert.equal(r.error, undefined);
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    return JSON.parse(r.stdout) as Record<string, string>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function installed(command: string, probe: string[]): boolean {
  const r = spawnSync(command, probe, { stdio: "ignore" });
  return r.error === undefined && r.status === 0;
}

describe("statements survive real shells", () => {
  const inCi = process.env["CI"] === "true";
  const shells: { shell: "sh" | "bash" | "fish" | "pwsh"; syntax: Shell; probe: string[]; required: boolean }[] = [
    { shell: "sh", syntax: "posix", probe: ["-c", "exit 0"], required: inCi },
    { shell: "bash", syntax: "posix", probe: ["-c", "exit 0"], required: inCi },
    { shell: "fish", syntax: "fish", probe: ["--no-config", "-c", "exit 0"], required: false },
    { shell: "pwsh", syntax: "powershell", probe: ["-NoProfile", "-Command", "exit 0"], required: false },
  ];
  for (const s of shells) {
    const skip = s.required || installed(s.shell, s.probe) ? false : `${s.shell} is not installed`;
    it(`${s.shell} reads back every value exactly`, { skip }, () => {
      const vars: EnvVar[] = NASTY.map((v, i) => [`RT_${i}`, v]);
      const want = Object.fromEntries(vars);
      assert.deepEqual(roundTrip(s.shell, renderEnvStatements(vars, s.syntax)), want);
    });
  }
});
