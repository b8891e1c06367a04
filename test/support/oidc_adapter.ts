/**
 * A Map-backed storage adapter for oidc-provider that a test can reach into:
 * revokeAccount() removes every grant, token and session of an account, as if
 * the user revoked the App's access in the provider's own settings.
 */
type Payload = Record<string, unknown> & { accountId?: string; grantId?: string; uid?: string; userCode?: string; consumed?: number };

export function createTestAdapter() {
  const store = new Map<string, { payload: Payload; expiresAt: number }>();
  const live = (key: string): Payload | undefined => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  const findWhere = (model: string, match: (p: Payload) => boolean): Payload | undefined => {
    for (const key of store.keys()) {
      if (!key.startsWith(`${model}:`)) continue;
      const payload = live(key);
      if (payload && match(payload)) return payload;
    }
    return undefined;
  };

  class TestAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Payload, expiresIn?: number) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      return findWhere(this.model, (p) => p.uid === uid);
    }
    async findByUserCode(userCode: string) {
      return findWhere(this.model, (p) => p.userCode === userCode);
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  }

  return {
    Adapter: TestAdapter,
    /** Removes everything the provider holds for the account (grants, tokens, sessions). */
    revokeAccount(accountId: string): number {
      let removed = 0;
      for (const [key, entry] of store) {
        if (entry.payload.accountId === accountId) {
          store.delete(key);
          removed += 1;
        }
      }
      return removed;
    },
  };
}
