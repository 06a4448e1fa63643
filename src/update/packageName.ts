/**
 * The name aws-runas is published under (package.json `name`), for the update check and its install hint. A test
 * keeps it equal to package.json, so the bundle needs no file read for it.
 */
export const PACKAGE_NAME = "aws-runas";
