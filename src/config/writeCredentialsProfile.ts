import { resolve as resolvePath } from "node:path";
import type { Credentials } from "../domain/credentials.js";
import { RunasError, isRunasError } from "../domain/errors.js";
import type { Locker } from "../ports.js";
import { setSectionValues } from "./iniEdit.js";
import { updateIniFile } from "./updateIniFile.js";

/** The keys of the `<profile>-awsrunas` section this project writes; every other line of the file is left alone. */
const OWNED_KEYS = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"] as const;

/**
 * Writes creds to section `[<profile>-awsrunas]` of the shared credentials file: aws_access_key_id,
 * aws_secret_access_key, and aws_session_token (removed when the credentials have none: decision Q-13), through
 * updateIniFile (symlinks followed, file and directory created, locked, atomic, 0600). Returns the section name.
 */
export async function writeCredentialsProfile(o: {
  credentialsPath: string;
  profile: string;
  creds: Credentials;
  locker: Locker;
}): Promise<string> {
  if (o.profile.trim() === "") {
    throw new RunasError("INVALID_VALUE", "cannot write credentials to the credentials file without a profile name");
  }
  if (o.creds.accessKeyId === "" || o.creds.secretAccessKey === "") {
    throw new RunasError("INVALID_VALUE", `refusing to write empty credentials to ${o.credentialsPath}`);
  }
  // A separate `-awsrunas` section keeps the profile's own definition intact (core.md §5.6).
  const section = `${o.profile}-awsrunas`;
  const values = {
    aws_access_key_id: o.creds.accessKeyId,
    aws_secret_access_key: o.creds.secretAccessKey,
    aws_session_token: o.creds.sessionToken || undefined,
  };

  const file = resolvePath(o.credentialsPath);
  try {
    await updateIniFile(file, o.locker, (text) => setSectionValues(text, section, OWNED_KEYS, values));
  } catch (e) {
    if (isRunasError(e)) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new RunasError("FILE_WRITE", `cannot write credentials to ${file}: ${reason}`, { cause: e });
  }
  return section;
}
