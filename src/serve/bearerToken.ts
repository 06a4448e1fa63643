import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The check of the ECS server's `Authorization` header (decisions.md "Servers"). The SDKs send the value of
 * AWS_CONTAINER_AUTHORIZATION_TOKEN (or the content of the _TOKEN_FILE) verbatim (design/stack.md §C.2), so the
 * header must equal the token; `Bearer <token>` is accepted too, since users who know the header write it that way.
 * Both sides are hashed first, which makes the comparison constant-time whatever the header's length.
 */
export function bearerTokenCheck(token: string): (header: string | string[] | undefined) => boolean {
  const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();
  const expected = digest(token);
  return (header) => {
    if (typeof header !== "string" || header === "") return false;
    const given = header.trim();
    // Whether the prefix was there is the sender's own knowledge: only the token's comparison must not leak.
    const candidate = BEARER.test(given) ? given.replace(BEARER, "") : given;
    return timingSafeEqual(digest(candidate), expected);
  };
}

const BEARER = /^bearer\s+/i;
