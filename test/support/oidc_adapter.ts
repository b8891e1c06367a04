/**
 * A Map-backed storage adapter for oidc-provider that a test can reach into:
 * revokeAccount() removes every grant, token and session of an account, as if
 * the user revoked the App's access in the provider's own settings.
 */
type Payload = Record<string, unknown> & { accountId?: string; grantId?: string; uid?: string; userCode?: string; consumed?: number };

export interface TestAdapterOptions {
  /**
   * A rotated refresh token stays usable this long after its first use, as Okta's
   * "grace period for token rotation" and Auth0's "reuse interval" allow (0 = oidc-provider's
   * own strict rule: any reuse revokes the whole grant).
   */
  refreshReuseGraceMs?: number;
}

export function createTestAdapter(options: TestAdapterOptions = {}) {
  const grace = options.refreshReuseGraceMs ?? 0;
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
      const payload = live(this.key(id));
      // Within the grace period a consumed refresh token is shown as unused: oidc-provider rotates it again instead of revoking the grant.
      if (this.model === 'RefreshToken' && payload?.consumed !== undefined && Date.now() - payload.consumed * 1000 < grace) {
        const { consumed: _consumed, ...unused } = payload;
        return unused;
      }
      return payload;
    }
    async findByUid(uid: string) {
      return findWhere(this.model, (p) => p.uid === uid);
    }
    async findByUserCode(userCode: string) {
      return findWhere(this.model, (p) => p.userCode === userCode);
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      // The first use starts the grace period; a reuse within it does not extend it.
      if (payload) payload.consumed ??= Math.floor(Date.now() / 1000);
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
