/**
 * No profile is active yet: the server started without one and nobody has chosen one in the web page or with
 * POST /profile. Upstream dropped the connection here (QUIRK Q-19); the server answers 500 with this line instead.
 */
export class ProfileNotSet extends Error {
  constructor(readonly uiUrl: string) {
    super(`no profile is active: choose one at ${uiUrl} or POST /profile`);
    this.name = "ProfileNotSet";
  }
}

/** True for ProfileNotSet, also when another bundle's copy of the class threw it. */
export function isProfileNotSet(e: unknown): e is ProfileNotSet {
  return e instanceof Error && e.name === "ProfileNotSet";
}
