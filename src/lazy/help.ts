/** Help and version texts, bundled on their own: the cached path never shows them. */
export { appHelp, commandHelp, versionText } from "../cli/help.js";
