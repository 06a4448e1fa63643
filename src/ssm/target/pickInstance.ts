import type { Logger } from "../../ports.js";

/**
 * The instance a DescribeInstances answer stands for (core.md §10.2): the first instance of the first reservation
 * that has any. Several matches are logged, because EC2 does not order them and the choice is then arbitrary; the
 * docs advise selectors that match one instance.
 */
export function pickInstance(reservations: readonly (readonly string[])[], logger: Logger): string | undefined {
  const reservation = reservations.find((r) => r.length > 0);
  if (reservation === undefined) return undefined;
  if (reservation.length > 1) logger.warn("more than 1 instance found, using 1st value");
  return reservation[0];
}
