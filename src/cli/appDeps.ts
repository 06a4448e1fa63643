import type { Credentials } from "../domain/credentials.js";
import type { Clock, Locker, Logger, Output, Prompter } from "../ports.js";
import type { StsApi, StsTarget } from "../providers/stsApi.js";

/** What the CLI needs from the machine; main.ts builds the real ones, tests build their own. */
export interface AppDeps {
  out: Output;
  clock: Clock;
  platform: NodeJS.Platform;
  homeDir: string;
  version: string;
  logger(verbosity: number): Logger;
  prompter(): Prompter;
  locker: Locker;
  osUser(): string | undefined;
  /** Loads the STS adapter (the AWS SDK) on first use. */
  sts(target: StsTarget, logger: Logger): Promise<StsApi>;
  /** Opens a URL in the user's browser (sign-in pages); false when none could be started. */
  openBrowser(url: string): Promise<boolean>;
  /** Base credentials the AWS SDK resolves itself (credential_process, SSO, default chain), loaded on first use. */
  sdkCredentials(o: { profile: string | undefined; configPath: string; credentialsPath: string; region?: string }): Promise<Credentials>;
}
