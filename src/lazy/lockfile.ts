/** proper-lockfile's lock(), in a bundle of its own: it is loaded only when a lock is taken, never on a cache hit. */
export { lock } from "proper-lockfile";
