/**
 * Runs at most `max` tasks at a time, the others waiting their turn in call order. A policy scan starts a call per
 * policy of every group at once; IAM throttles bursts, so the adapter sends them through this.
 */
export function concurrencyLimit(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < max) active += 1;
    // A finishing task hands its slot straight to the next waiting one, so `active` stays as it is then.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next !== undefined) next();
      else active -= 1;
    }
  };
}
