import type { Logger } from "../../src/ports.js";

/** A Logger that keeps its lines, for assertions. */
export function memoryLogger(debug = true): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debugEnabled: debug,
    traceEnabled: false,
    debug: (m) => {
      if (debug) lines.push(`DEBUG ${m}`);
    },
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}
