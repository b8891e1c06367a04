/**
 * A promise cache with a time to live: concurrent readers of a key share one
 * load, a result is reused until it expires, and a failed load is forgotten at once.
 */
export class TtlCache<T> {
  readonly #entries = new Map<string, { expiresAt: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** The cached value of `key`, or the result of `load()`, which is then cached. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.#entries.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const entry = { expiresAt: this.now() + this.ttlMs, value: load() };
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry.value;
  }
}
