import { spawnSync } from "node:child_process";

/**
 * Whether an external test peer (moto_server, aws, python3 with boto3) is on this machine. Where one is missing the
 * tests that need it are skipped with one line saying why — except under CI=true, where a missing peer is a failure
 * (testing/peers.md).
 */
export function peerSkip(command: string, args: string[] = ["--version"]): string | false {
  const r = spawnSync(command, args, { stdio: "ignore" });
  if (r.error === undefined && r.status === 0) return false;
  if (process.env.CI === "true") throw new Error(`test peer '${command}' is missing; CI must install it`);
  return `${command} is not installed`;
}
