/**
 * Per-user token sets in the user's own KV namespace (the user's token scopes
 * the key, so one user's calls cannot name another's), one key per provider,
 * sealed with the App's key. A value sealed with an older key is re-sealed
 * with the current one when read.
 */
import type { AppsPluginClient } from '../mattermost/apps_client.js';
import type { TokenSet } from '../oauth/types.js';
import { SealedRecord } from './record_schemas.js';
import type { SecretSealer } from './secret_sealer.js';

const PREFIX = 't';

export class TokenStore {
  constructor(
    private readonly kv: AppsPluginClient,
    private readonly sealer: SecretSealer,
  ) {}

  async load(providerId: string): Promise<TokenSet | undefined> {
    const record = SealedRecord.safeParse(await this.kv.kvGet<unknown>(providerId, PREFIX));
    if (!record.success) return undefined;
    const { plaintext, stale } = this.sealer.open(record.data.s);
    const tokens = JSON.parse(plaintext) as TokenSet;
    if (stale) await this.save(providerId, tokens);
    return tokens;
  }

  async save(providerId: string, tokens: TokenSet): Promise<void> {
    await this.kv.kvSet(providerId, { v: 1, s: this.sealer.seal(JSON.stringify(tokens)) } satisfies SealedRecord, PREFIX);
  }

  async delete(providerId: string): Promise<void> {
    await this.kv.kvDelete(providerId, PREFIX);
  }
}
