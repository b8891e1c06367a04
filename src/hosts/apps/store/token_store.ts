/**
 * Per-user token sets in the user's own KV namespace (the user's token scopes
 * the key, so one user's calls cannot name another's), one key per provider,
 * sealed with the App's key and bound to the user, provider and provider
 * origin. A value sealed with an older key or format is re-sealed when read.
 */
import type { AppsPluginClient } from '@oauth2-connect/driver';
import { type SealBinding, TokenCipherError, type TokenSet } from '@oauth2-connect/engine';
import { SealedRecord } from '../../../core/record_schemas.js';
import type { SecretSealer } from '../../../core/secret_sealer.js';

const PREFIX = 't';

export class TokenStore {
  constructor(
    private readonly kv: AppsPluginClient,
    private readonly sealer: SecretSealer,
    /** Told every token set read or written (the logger redacts them by value). */
    private readonly remember: (tokens: TokenSet) => void = () => undefined,
  ) {}

  /** Throws TokenCipherError('wrong_binding') when the stored value was sealed for another slot; nothing is deleted then. */
  async load(providerId: string, slot: SealBinding): Promise<TokenSet | undefined> {
    const record = SealedRecord.safeParse(await this.kv.kvGet<unknown>(providerId, PREFIX));
    if (!record.success) return undefined;
    const { plaintext, stale } = this.sealer.open(record.data.s, slot);
    const tokens = parseTokenSet(plaintext);
    this.remember(tokens);
    if (stale) await this.save(providerId, tokens, slot);
    return tokens;
  }

  async save(providerId: string, tokens: TokenSet, slot: SealBinding): Promise<void> {
    this.remember(tokens);
    await this.kv.kvSet(providerId, { v: 1, s: this.sealer.seal(JSON.stringify(tokens), slot) } satisfies SealedRecord, PREFIX);
  }

  async delete(providerId: string): Promise<void> {
    await this.kv.kvDelete(providerId, PREFIX);
  }
}

/** JSON.parse's message quotes its input: over decrypted data that would be a token, so it is replaced. */
function parseTokenSet(plaintext: string): TokenSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { access_token?: unknown }).access_token !== 'string') {
    throw new TokenCipherError('malformed', undefined, 'A stored token opened but is not a token set; reconnect to replace it.');
  }
  return parsed as TokenSet;
}
