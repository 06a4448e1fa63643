import type { Env } from "../ports.js";
import { keyFindings, maskKeyId } from "./accessKeys.js";
import type { KeyNames } from "./accessKeys.js";
import { info, warn } from "./finding.js";
import type { Finding } from "./finding.js";

const ENV_NAMES: KeyNames = {
  accessKeyId: "AWS_ACCESS_KEY_ID",
  secretAccessKey: "AWS_SECRET_ACCESS_KEY",
  sessionToken: "AWS_SESSION_TOKEN",
  where: "",
};

/**
 * The environment check (core.md §8 step 2): the AWS key variables, when AWS_ACCESS_KEY_ID is set, must form a usable
 * set — upstream only caught an AKIA key with a session token; a temporary key without its token, a key without
 * its secret and malformed values are caught too. A secret or token without a key id is pointed out, as the AWS
 * SDKs ignore them. Nothing at all when no key variable is set, as upstream.
 */
export function environmentFindings(env: Env): Finding[] {
  const id = env["AWS_ACCESS_KEY_ID"] ?? "";
  if (id === "") {
    const strays = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"].filter((n) => (env[n] ?? "") !== "");
    if (strays.length === 0) return [];
    return [
      warn(
        `${strays.join(" and ")} ${strays.length > 1 ? "are" : "is"} set but AWS_ACCESS_KEY_ID is not, so AWS tools ` +
          `ignore ${strays.length > 1 ? "them" : "it"}; unset ${strays.join(" and ")} or set AWS_ACCESS_KEY_ID`,
      ),
    ];
  }
  const problems = keyFindings(
    {
      accessKeyId: id,
      secretAccessKey: env["AWS_SECRET_ACCESS_KEY"] ?? "",
      sessionToken: env["AWS_SESSION_TOKEN"] ?? "",
    },
    ENV_NAMES,
  );
  if (problems.length > 0) return problems;
  return [info(`environment variables appear sane (AWS_ACCESS_KEY_ID ${maskKeyId(id)})`)];
}
