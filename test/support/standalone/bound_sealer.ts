/** The project's real bound cipher (AES-256-GCM, binding authenticated) with one test key. */
import { createTokenCipher } from '../../../src/oauth/crypto.js';
import type { BoundSealer, SealBinding } from '../../../src/hosts/standalone/deps.js';
import type { ProviderConfig } from '../../../src/oauth/types.js';

export function createTestSealer(key: Buffer): BoundSealer {
  return createTokenCipher({ keys: [{ id: 'test', key }], currentKeyId: 'test' });
}

export const testClientSecretBinding = (config: ProviderConfig): SealBinding => ({ kind: 'client_secret', provider_id: config.id });

/** The issuer's origin, or the token endpoint's. */
export function testProviderOrigin(config: ProviderConfig): string {
  const url = config.issuer ?? config.base_url ?? config.endpoints?.token_endpoint ?? '';
  return new URL(url).origin;
}
