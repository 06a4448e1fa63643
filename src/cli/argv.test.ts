import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RunasError } from "../domain/errors.js";
import type { Env } from "../ports.js";
import { parseCommandLine } from "./argv.js";
import type { CommandLine, GlobalOptions } from "./argv.js";

interface Want {
  options?: Partial<GlobalOptions>;
  command?: string[];
  commandFlags?: Record<string, string | boolean>;
  commandHelp?: boolean;
  positionals?: string[];
  warnings?: string[];
}

function expected(want: Want): CommandLine {
  return {
    options: {
      overrides: {}, envCredentials: false, output: "env", sessionOnly: false, writeCredentials: false,
      refresh: false, expiration: false, whoami: false, listMfa: false, listRoles: false, update: false,
      diagnose: false, verbose: 0, help: false, version: false, ...want.options,
    },
    command: want.command ?? [],
    commandFlags: want.commandFlags ?? {},
    commandHelp: want.commandHelp ?? false,
    positionals: want.positionals ?? [],
    warnings: want.warnings ?? [],
  };
}

type Case = [argv: string[], want: Want, env?: Env];

function table(cases: readonly Case[]): void {
  for (const [argv, want, env] of cases) {
    const label = `${env === undefined ? "" : `${JSON.stringify(env)} `}${JSON.stringify(argv)}`;
    it(label, () => {
      assert.deepEqual(parseCommandLine(argv, env ?? {}), expected(want));
    });
  }
}

function usageError(message: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof RunasError);
    assert.equal(e.code, "USAGE");
    assert.equal(e.message, message);
    return true;
  };
}

describe("parseCommandLine: global flags and positionals (core.md §1.1)", () => {
  table([
    [[], {}],
    [["p"], { positionals: ["p"] }],
    [["-v", "p"], { options: { verbose: 1 }, positionals: ["p"] }],
    // Flags stop at the first positional: the rest belongs to the command, dashes and all.
    [["p", "-v"], { positionals: ["p", "-v"] }],
    [["p", "aws", "s3", "ls", "--region", "x"], { positionals: ["p", "aws", "s3", "ls", "--region", "x"] }],
    [["-", "x"], { positionals: ["-", "x"] }],
    // `--` where a flag could be is consumed; after the profile it stays for profileArg (decision Q-01).
    [["-E", "--", "p", "cmd"], { options: { envCredentials: true }, positionals: ["p", "cmd"] }],
    [["--", "-v"], { positionals: ["-v"] }],
    [["p", "--", "aws", "s3", "ls"], { positionals: ["p", "--", "aws", "s3", "ls"] }],
    [["-w", "p", "--", "-v"], { options: { whoami: true }, positionals: ["p", "--", "-v"] }],
    // Combined short flags, a value letter last.
    [["-vsr", "p"], { options: { verbose: 1, sessionOnly: true, refresh: true }, positionals: ["p"] }],
    [["-vo", "123456", "p"], { options: { verbose: 1, overrides: { mfaCode: "123456" } }, positionals: ["p"] }],
    [["-vo=123456", "p"], { options: { verbose: 1, overrides: { mfaCode: "123456" } }, positionals: ["p"] }],
    [["-vo=1", "p"], { options: { verbose: 1, overrides: { mfaCode: "1" } }, positionals: ["p"] }],
    [["-vra", "10m"], { options: { verbose: 1, refresh: true, overrides: { credentialsDuration: 600 } } }],
    [["-Ev", "p", "true"], { options: { envCredentials: true, verbose: 1 }, positionals: ["p", "true"] }],
    [["-vl", "p"], { options: { verbose: 1, listRoles: true }, positionals: ["p"] }],
    [["-vm"], { options: { verbose: 1, listMfa: true } }],
    [["-vu"], { options: { verbose: 1, update: true } }],
    [["-Dv", "p"], { options: { verbose: 1, diagnose: true }, positionals: ["p"] }],
    [["-vse", "p"], { options: { verbose: 1, sessionOnly: true, expiration: true }, positionals: ["p"] }],
    // -v counts (T-CLI-18); =false adds nothing.
    [["-vv", "p"], { options: { verbose: 2 }, positionals: ["p"] }],
    [["-v", "-v", "-v"], { options: { verbose: 3 } }],
    [["--verbose", "-v=true", "--verbose=false"], { options: { verbose: 2 } }],
    [["-verbose=0"], {}],
    // Every spelling of a value flag.
    [["-a", "2h"], { options: { overrides: { credentialsDuration: 7200 } } }],
    [["-a=2h"], { options: { overrides: { credentialsDuration: 7200 } } }],
    [["--a", "2h"], { options: { overrides: { credentialsDuration: 7200 } } }],
    [["--role-duration", "2h"], { options: { overrides: { credentialsDuration: 7200 } } }],
    [["--role-duration=2h"], { options: { overrides: { credentialsDuration: 7200 } } }],
    [["-role-duration", "2h"], { options: { overrides: { credentialsDuration: 7200 } } }],
    [["-role-duration=2h"], { options: { overrides: { credentialsDuration: 7200 } } }],
    [["-a", "3600"], { options: { overrides: { credentialsDuration: 3600 } } }],
    [["-d", "1h30m", "p"], { options: { overrides: { sessionTokenDuration: 5400 } }, positionals: ["p"] }],
    // The last occurrence wins; an empty value or a zero duration is "not set", as upstream.
    [["-a", "2h", "-a", "30m"], { options: { overrides: { credentialsDuration: 1800 } } }],
    [["-a", "0"], {}],
    [["-o", ""], {}],
    [["-o", "1", "-o", ""], {}],
    // A value flag takes the next argument even when it starts with a dash, as Go's flag package does.
    [["-o", "-5", "p"], { options: { overrides: { mfaCode: "-5" } }, positionals: ["p"] }],
    // Bool flags: no value, or `=` one of Go's bool words.
    [["--env=false"], {}],
    [["-E=true"], { options: { envCredentials: true } }],
    [["-E", "true"], { options: { envCredentials: true }, positionals: ["true"] }],
    [["--session=0", "-s=T"], { options: { sessionOnly: true } }],
    [["-session", "--write-credentials", "-expiration"],
      { options: { sessionOnly: true, writeCredentials: true, expiration: true } }],
    [["-w", "-e", "-c", "-l", "-m", "-u", "-D", "-r"],
      { options: { whoami: true, expiration: true, writeCredentials: true, listRoles: true, listMfa: true,
        update: true, diagnose: true, refresh: true } }],
    [["-h"], { options: { help: true } }],
    [["--help"], { options: { help: true } }],
    [["-V"], { options: { version: true } }],
    [["-version"], { options: { version: true } }],
    // Setting-bound flags: typed values, -U/-P/-R set both the SAML and the OIDC field.
    [["-U", "me", "-P", "pw", "-R", "okta"], { options: { overrides: {
      samlUsername: "me", webIdentityUsername: "me", samlPassword: "pw", webIdentityPassword: "pw",
      samlProvider: "okta", webIdentityProvider: "okta" } } }],
    [["-t", "PUSH"], { options: { overrides: { mfaType: "push" } } }],
    [["--mfa-type=code"], { options: { overrides: { mfaType: "code" } } }],
    [["-M", "arn:aws:iam::1:mfa/me", "-X", "ext", "-J", "arn:aws:iam::1:role/jump",
      "-S", "https://idp.example.com/saml", "-I", "urn:amazon:webservices", "-W", "http://localhost:8080/oauth2",
      "-T", "app:/callback", "-C", "client"],
    { options: { overrides: {
      mfaSerial: "arn:aws:iam::1:mfa/me", externalId: "ext", jumpRoleArn: "arn:aws:iam::1:role/jump",
      samlAuthUrl: "https://idp.example.com/saml", samlEntityId: "urn:amazon:webservices",
      webIdentityAuthUrl: "http://localhost:8080/oauth2", webIdentityRedirectUri: "app:/callback",
      webIdentityClientId: "client" } } }],
    // --output: json in any case, anything else is env (upstream); --shell forces a syntax.
    [["-O", "JSON", "p"], { options: { output: "json" }, positionals: ["p"] }],
    [["--output=json"], { options: { output: "json" } }],
    [["-O", "yaml"], {}],
    [["--shell", "fish"], { options: { shell: "fish" } }],
    [["--shell=PowerShell"], { options: { shell: "powershell" } }],
    [["-shell", "cmd"], { options: { shell: "cmd" } }],
  ]);
});

describe("parseCommandLine: RUNAS_* variables of the non-setting flags (core.md §1.1 rule 8, Q-08)", () => {
  table([
    [["p"], { options: { output: "json" }, positionals: ["p"] }, { RUNAS_OUTPUT_FORMAT: "json" }],
    [["p"], { positionals: ["p"] }, { RUNAS_OUTPUT_FORMAT: "text" }],
    [["-O", "env", "p"], { positionals: ["p"] }, { RUNAS_OUTPUT_FORMAT: "json" }],
    [[], { options: { envCredentials: true } }, { RUNAS_ENV_CREDENTIALS: "1" }],
    [[], {}, { RUNAS_ENV_CREDENTIALS: "" }],
    [[], {}, { RUNAS_ENV_CREDENTIALS: "false" }],
    [["--env=false"], {}, { RUNAS_ENV_CREDENTIALS: "true" }],
    [[], { warnings: ['ignoring RUNAS_ENV_CREDENTIALS="yes": not true or false'] }, { RUNAS_ENV_CREDENTIALS: "yes" }],
    // The bad variable is ignored alone; the others still apply.
    [[], { options: { sessionOnly: true, writeCredentials: true },
      warnings: ['ignoring RUNAS_ENV_CREDENTIALS="on": not true or false'] },
    { RUNAS_ENV_CREDENTIALS: "on", RUNAS_SESSION_CREDENTIALS: "True", RUNAS_WRITE_CREDENTIALS: "t" }],
    // The command line beats a bad variable without a warning.
    [["-E"], { options: { envCredentials: true } }, { RUNAS_ENV_CREDENTIALS: "yes" }],
    [[], { options: { shell: "fish" } }, { RUNAS_SHELL: "fish" }],
    [["--shell", "posix"], { options: { shell: "posix" } }, { RUNAS_SHELL: "fish" }],
    [[], { warnings: ['ignoring RUNAS_SHELL="zsh": use posix, fish, powershell, cmd'] }, { RUNAS_SHELL: "zsh" }],
    // Setting-bound flags never read the environment here: resolveProfile does, from SETTINGS.
    [[], {}, { MFA_CODE: "123456", CREDENTIALS_DURATION: "2h", RUNAS_USERNAME: "me" }],
  ]);
});

describe("parseCommandLine: subcommands (core.md §1.3)", () => {
  table([
    [["list"], { command: ["list"] }],
    [["ls"], { command: ["list"] }],
    [["list", "roles", "p"], { command: ["list", "roles"], positionals: ["p"] }],
    [["ls", "mfa"], { command: ["list", "mfa"] }],
    [["-v", "list", "roles", "p"], { options: { verbose: 1 }, command: ["list", "roles"], positionals: ["p"] }],
    [["--", "list", "mfa"], { command: ["list", "mfa"] }],
    [["serve"], { command: ["serve"] }],
    [["srv", "ecs", "p"], { command: ["serve", "ecs"], positionals: ["p"] }],
    [["serve", "ec2", "-p", "8080", "-H", "p"],
      { command: ["serve", "ec2"], commandFlags: { port: "8080", headless: true }, positionals: ["p"] }],
    [["serve", "ec2", "--imdsv2-only", "--headless=false"],
      { command: ["serve", "ec2"], commandFlags: { "imdsv2-only": true, "headless": false } }],
    [["serve", "ecs", "--port=0", "-no-auth"],
      { command: ["serve", "ecs"], commandFlags: { "port": "0", "no-auth": true } }],
    [["ssm"], { command: ["ssm"] }],
    [["ssm", "shell", "p", "i-123"], { command: ["ssm", "shell"], positionals: ["p", "i-123"] }],
    [["ssm", "sh", "-P", "p", "i-123"],
      { command: ["ssm", "shell"], commandFlags: { plugin: true }, positionals: ["p", "i-123"] }],
    [["ssm", "forward", "-p", "8888", "prof", "i-123:80"],
      { command: ["ssm", "forward"], commandFlags: { port: "8888" }, positionals: ["prof", "i-123:80"] }],
    // Command flags stop at the first positional too.
    [["ssm", "forward", "prof", "i-123:80", "-p", "8888"],
      { command: ["ssm", "forward"], positionals: ["prof", "i-123:80", "-p", "8888"] }],
    [["ssm", "fwd", "--plugin", "prof", "i-123:80"],
      { command: ["ssm", "forward"], commandFlags: { plugin: true }, positionals: ["prof", "i-123:80"] }],
    [["ssm", "ssh", "--ec2ic", "-P", "p", "user@host:22"],
      { command: ["ssm", "ssh"], commandFlags: { ec2ic: true, plugin: true }, positionals: ["p", "user@host:22"] }],
    [["ssm", "shell", "--", "-p", "i-1"], { command: ["ssm", "shell"], positionals: ["-p", "i-1"] }],
    // Global -P is the password; ssm's own -P is --plugin.
    [["-P", "secret", "ssm", "shell", "-P", "prof", "i-123"],
      { options: { overrides: { samlPassword: "secret", webIdentityPassword: "secret" } }, command: ["ssm", "shell"],
        commandFlags: { plugin: true }, positionals: ["prof", "i-123"] }],
    [["ecr"], { command: ["ecr"] }],
    [["ecr", "login", "p", "123456789012"], { command: ["ecr", "login"], positionals: ["p", "123456789012"] }],
    [["password", "p"], { command: ["password"], positionals: ["p"] }],
    [["passwd", "p"], { command: ["password"], positionals: ["p"] }],
    [["pw"], { command: ["password"] }],
    [["diagnose"], { command: ["diagnose"] }],
    [["diag", "p"], { command: ["diagnose"], positionals: ["p"] }],
    [["update"], { command: ["update"] }],
    // Help after a subcommand.
    [["ssm", "shell", "-h"], { command: ["ssm", "shell"], commandHelp: true }],
    [["ssm", "forward", "--help", "p"], { command: ["ssm", "forward"], commandHelp: true, positionals: ["p"] }],
    [["list", "-h"], { command: ["list"], commandHelp: true }],
    [["serve", "--help", "ec2"], { command: ["serve"], commandHelp: true, positionals: ["ec2"] }],
    [["-h", "list"], { options: { help: true }, command: ["list"] }],
  ]);
});

describe("parseCommandLine: help forms", () => {
  table([
    [["help"], { command: ["help"] }],
    [["h"], { command: ["help"] }],
    [["help", "list"], { command: ["help", "list"] }],
    [["help", "ls"], { command: ["help", "list"] }],
    [["list", "help"], { command: ["help", "list"] }],
    [["list", "h", "roles"], { command: ["help", "list", "roles"] }],
    [["help", "ssm", "shell"], { command: ["help", "ssm", "shell"] }],
    [["help", "ssm", "sh"], { command: ["help", "ssm", "shell"] }],
    [["ssm", "help", "fwd"], { command: ["help", "ssm", "forward"] }],
    [["help", "pw"], { command: ["help", "password"] }],
    [["help", "update"], { command: ["help", "update"] }],
    [["help", "help"], { command: ["help", "help"] }],
    [["help", "-h"], { command: ["help"], commandHelp: true }],
  ]);
});

describe("parseCommandLine: usage errors", () => {
  const cases: [string[], string][] = [
    [["-x", "p"], "flag provided but not defined: -x; run 'aws-runas --help' for the flags"],
    [["--nope=1"], "flag provided but not defined: -nope; run 'aws-runas --help' for the flags"],
    [["-vx"], "flag provided but not defined: -vx; run 'aws-runas --help' for the flags"],
    [["--vs"], "flag provided but not defined: -vs; run 'aws-runas --help' for the flags"],
    [["---v"], "bad flag syntax: ---v; flags look like -name or --name=value"],
    [["-=x"], "bad flag syntax: -; flags look like -name or --name=value"],
    [["-a"], "flag needs an argument: -a"],
    [["--otp"], "flag needs an argument: --otp"],
    [["-vo"], "flag needs an argument: -o"],
    [["-a", "7d", "p"], 'invalid value "7d" for flag -a: use a duration like 1h30m or a number of seconds'],
    [["--role-duration=7d"],
      'invalid value "7d" for flag --role-duration: use a duration like 1h30m or a number of seconds'],
    [["-vra", "1d"], 'invalid value "1d" for flag -a: use a duration like 1h30m or a number of seconds'],
    [["-d", "soon"], 'invalid value "soon" for flag -d: use a duration like 1h30m or a number of seconds'],
    [["-t", "sms"], 'invalid value "sms" for flag -t: use auto, none, code or push'],
    [["-S", "ftp://idp.example.com"], "invalid value for flag -S: use an http:// or https:// URL"],
    [["--web-url", "idp.example.com"], "invalid value for flag --web-url: use an http:// or https:// URL"],
    [["--shell", "zsh"], 'invalid value "zsh" for flag --shell: use posix, fish, powershell, cmd'],
    [["-E=yes"], 'invalid value "yes" for flag -E: use true or false'],
    [["-vv=2"], 'invalid value "2" for flag -v: use true or false'],
    [["-ov", "1"], "flag -o takes a value: write -o VALUE or -o=VALUE, last in a group of short flags"],
    [["-o123456"], "flag -o takes a value: write -o VALUE or -o=VALUE, last in a group of short flags"],
    [["-Psecret"], "flag -P takes a value: write -P VALUE or -P=VALUE, last in a group of short flags"],
    // Global flags after the subcommand name are refused, with a hint.
    [["ssm", "shell", "-r", "p", "i-1"],
      "flag provided but not defined: -r; global flags go before the subcommand: " +
      "aws-runas [global options] ssm shell ..."],
    [["list", "-v", "roles"],
      "flag provided but not defined: -v; global flags go before the subcommand: aws-runas [global options] list ..."],
    [["list", "roles", "--refresh", "p"],
      "flag provided but not defined: -refresh; global flags go before the subcommand: " +
      "aws-runas [global options] list roles ..."],
    [["ssm", "shell", "-x"], "flag provided but not defined: -x; run 'aws-runas ssm shell --help' for its flags"],
    [["password", "-p", "80"], "flag provided but not defined: -p; run 'aws-runas password --help' for its flags"],
    [["list", "nope"], "unknown command \"nope\" for 'aws-runas list': use one of mfa, roles, or help"],
    [["ssm", "scp"], "unknown command \"scp\" for 'aws-runas ssm': use one of shell, forward, ssh, or help"],
    [["serve", "ec2", "-p", "http"], 'invalid value "http" for flag -p: use a port number from 0 to 65535'],
    [["serve", "ecs", "--port=70000"], 'invalid value "70000" for flag --port: use a port number from 0 to 65535'],
    [["ssm", "forward", "-p", "-1", "p", "i:1"], 'invalid value "-1" for flag -p: use a port number from 0 to 65535'],
    [["serve", "ec2", "-p"], "flag needs an argument: -p"],
    [["serve", "ec2", "-H=maybe"], 'invalid value "maybe" for flag -H: use true or false'],
    [["help", "nope"], "no help topic for \"nope\"; run 'aws-runas help' for the commands"],
    [["help", "list", "roles", "x"], "no help topic for \"list roles x\"; run 'aws-runas help' for the commands"],
    [["ssm", "help", "scp"], "no help topic for \"ssm scp\"; run 'aws-runas help' for the commands"],
  ];
  for (const [argv, message] of cases) {
    it(JSON.stringify(argv), () => {
      assert.throws(() => parseCommandLine(argv, {}), usageError(message));
    });
  }

  it("never repeats a password or MFA code typed against a value letter", () => {
    for (const argv of [["-o123456"], ["-vo123456"], ["-Psecret"], ["-P=secret", "-x"]]) {
      assert.throws(() => parseCommandLine(argv, {}), (e: unknown) => {
        assert.ok(e instanceof RunasError);
        assert.doesNotMatch(e.message, /123456|secret/);
        return true;
      });
    }
  });
});

describe("--device", () => {
  it("asks the generic OIDC provider for the device flow (web_identity_flow = device)", () => {
    const cl = parseCommandLine(["--device", "p"], {});
    assert.equal(cl.options.overrides.webIdentityFlow, "device");
    assert.equal(parseCommandLine(["p"], {}).options.overrides.webIdentityFlow, undefined);
    assert.equal(parseCommandLine(["--device=false", "p"], {}).options.overrides.webIdentityFlow, undefined);
  });
});
