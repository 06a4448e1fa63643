import type { Clock } from "../ports.js";

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };
