/**
 * The standalone host's sealer: the project's bound cipher (packages/engine/src/crypto.ts)
 * with every binding under this host's scope, the one place the host applies
 * it, so a value sealed by the Apps host never opens here and the other way
 * round, even under the same key.
 */
import { createTokenCipher } from '@oauth2-connect/engine';
import { scopedSealer, type SecretSealer } from '../../../core/secret_sealer.js';

export const STANDALONE_SEAL_SCOPE = 'oauth2-connect/standalone';

export interface SealingKeys {
  encryptionKeys: Array<{ id: string; key: Buffer }>;
  currentKeyId: string;
  /** APP_ACCEPT_UNBOUND_SEALED: false refuses values of the first, unbound format. Default true. */
  acceptUnboundSealed?: boolean;
}

/** The cipher under this host's scope. */
export const standaloneSealer = (cipher: SecretSealer): SecretSealer => scopedSealer(cipher, STANDALONE_SEAL_SCOPE);

export function createStandaloneSealer(keys: SealingKeys): SecretSealer {
  return standaloneSealer(createTokenCipher({ keys: keys.encryptionKeys, currentKeyId: keys.currentKeyId, acceptUnbound: keys.acceptUnboundSealed }));
}
