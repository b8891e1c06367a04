/**
 * A promise cache with a time to live: concurrent readers of a key share one
 * load, a result is reused until it expires, and a failed load is forgotten at once.
 * Bounded: expired entries are dropped as new ones arrive, and past
 * `maxEntries` the oldest go first (issuers can come from many providers).
 */
export class TtlCache<T> {
  readonly #entries = new Map<string, { expiresAt: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 256,
  ) {}

  /** The cached value of `key`, or the result of `load()`, which is then cached. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.#entries.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    this.#entries.delete(key);
    this.#evict();
    const entry = { expiresAt: this.now() + this.ttlMs, value: load() };
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry.value;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Entries are in insertion order, so the first ones are the oldest. */
  #evict(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.maxEntries) break;
      this.#entries.delete(key);
    }
  }
}
