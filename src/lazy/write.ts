/** Writing credentials to the shared credentials file (-c), bundled on its own: not on the cached path. */
export { writeCredentialsProfile } from "../config/writeCredentialsProfile.js";
