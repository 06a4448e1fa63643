import { RunasError } from "../domain/errors.js";
import type { IamPage } from "./iamApi.js";

/** More pages than any real IAM listing has (1000 items per page): a service that never ends is stopped here. */
const MAX_PAGES = 1000;

/**
 * Every item of a paginated IAM listing, following `marker` page after page. Bounded: a marker that comes back
 * twice, or more than MAX_PAGES pages, is an error rather than an endless loop (decisions.md rule 2).
 */
export async function collectPages<T>(operation: string, page: (marker?: string) => Promise<IamPage<T>>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const p = await page(marker);
    items.push(...p.items);
    if (p.marker === undefined || p.marker === "") return items;
    if (seen.has(p.marker)) {
      throw new RunasError("STS_ERROR", `IAM ${operation} returned the same page marker twice; run the command again, and if it repeats, check AWS_ENDPOINT_URL / endpoint_url`);
    }
    seen.add(p.marker);
    marker = p.marker;
  }
  throw new RunasError("STS_ERROR", `IAM ${operation} returned more than ${MAX_PAGES} pages; run the command again, and if it repeats, check AWS_ENDPOINT_URL / endpoint_url`);
}
