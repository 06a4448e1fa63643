/**
 * The capabilities the layers below cli/ need from the outside world. Real implementations live in platform/ and
 * are built once in main.ts; tests pass fakes. Nothing below cli/ reads process.env, the clock or the terminal
 * directly.
 */

/** The process environment as a plain value. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface Clock {
  now(): Date;
}

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

/** Writes human-oriented lines to stderr only; stdout is reserved for data (exports, JSON). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** True when DEBUG lines are printed (`-v`). */
  readonly debugEnabled: boolean;
  /** True when AWS SDK request tracing is wanted (`-vv`). */
  readonly traceEnabled: boolean;
}

/** Asks the person at the terminal. Prompts are written to stderr, answers read from the terminal. */
export interface Prompter {
  /** Reads one visible line (an MFA code, a username). */
  text(message: string): Promise<string>;
  /** Reads one line without echo (a password). */
  secret(message: string): Promise<string>;
}

/** Where text goes: stdout for data, stderr for people. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * A cross-process mutual exclusion keyed by a file path: concurrent aws-runas processes that miss the same cache
 * entry wait for the first one's refresh instead of each calling STS (and each prompting for MFA).
 */
export interface Locker {
  withLock<T>(path: string, fn: () => Promise<T>): Promise<T>;
}
