/** One caller per key at a time, in this process (the Apps host's connection lock). */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(fn, fn);
    const tail = current.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // The last waiter removes the key, so the map does not grow with every user.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
