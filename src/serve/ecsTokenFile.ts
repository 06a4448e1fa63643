import { rm } from "node:fs/promises";
import { join as joinPath } from "node:path";
import { writeFileAtomic } from "../cache/atomicWrite.js";

/**
 * The file AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE points at (decisions.md "Servers"): the ECS server's token, alone
 * (no newline: some SDKs send the content as it is), mode 0600, in the AWS config directory beside the caches, named
 * by the port so that two servers do not share one. Written atomically: a reader never sees half a token.
 */
export async function writeEcsTokenFile(dir: string, port: number, token: string): Promise<string> {
  const file = joinPath(dir, `.aws_runas_ecs_token_${port}`);
  await writeFileAtomic(file, token, 0o600);
  return file;
}

/** Removes the token file when the server stops; one already gone is fine. */
export async function removeEcsTokenFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
