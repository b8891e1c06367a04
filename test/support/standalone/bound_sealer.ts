/**
 * Today's token cipher adapted to the bound sealer shape (seal/open with a
 * binding), until the oauthseal branch's real one is merged: the binding is
 * sealed with the value and must match on open.
 */
import { createTokenCipher } from '../../../src/oauth/crypto.js';
import type { BoundSealer, SealBinding } from '../../../src/hosts/standalone/deps.js';
import type { ProviderConfig } from '../../../src/oauth/types.js';

const canonical = (b: SealBinding) => JSON.stringify([b.kind, b.scope ?? '', b.provider_id ?? '', b.user_id ?? '', b.origin ?? '']);

export function createTestSealer(key: Buffer): BoundSealer {
  const cipher = createTokenCipher({ keys: [{ id: 'test', key }], currentKeyId: 'test' });
  return {
    seal: (plaintext, binding) => cipher.seal(JSON.stringify([canonical(binding), plaintext])),
    open: (sealed, binding) => {
      const { plaintext, stale } = cipher.open(sealed);
      const [bound, value] = JSON.parse(plaintext) as [string, string];
      if (bound !== canonical(binding)) throw new Error('sealed for another slot');
      return { plaintext: value, stale };
    },
  };
}

export const testClientSecretBinding = (config: ProviderConfig): SealBinding => ({ kind: 'client_secret', provider_id: config.id });

/** The issuer's origin, or the token endpoint's. */
export function testProviderOrigin(config: ProviderConfig): string {
  const url = config.issuer ?? config.base_url ?? config.endpoints?.token_endpoint ?? '';
  return new URL(url).origin;
}
