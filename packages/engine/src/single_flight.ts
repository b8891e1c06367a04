/**
 * Keyed promise sharing: while a call for a key is running, later callers for
 * that key get the same promise instead of starting their own.
 */
export interface SingleFlight {
  /** Runs `work` unless a call for `key` is in flight; then joins it. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** How many keys have a call in flight. */
  readonly size: number;
}

/** A new, empty set of in-flight calls (one per process is usual). */
export function singleFlight(): SingleFlight {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const running = inFlight.get(key);
      if (running) return running as Promise<T>;
      const started = Promise.resolve()
        .then(work)
        .finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
    get size() {
      return inFlight.size;
    },
  };
}
