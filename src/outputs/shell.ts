/** The shell syntaxes aws-runas can print environment statements in (decisions.md "shells"). */
export type Shell = "posix" | "fish" | "powershell" | "cmd";

export const SHELLS: readonly Shell[] = ["posix", "fish", "powershell", "cmd"];
