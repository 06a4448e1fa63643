/** True for text that parses as an http: or https: URL: the only kind of identity-provider URL aws-runas can use. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
