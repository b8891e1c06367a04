/**
 * The standalone host's sealer: the project's bound cipher (src/oauth/crypto.ts)
 * with every binding scoped to this host, so a value sealed by the Apps host
 * never opens here and the other way round, even under the same key.
 */
import { createTokenCipher } from '../../../oauth/crypto.js';
import { clientSecretSlot } from '../../../core/seal_slots.js';
import type { ProviderConfig } from '../../../oauth/types.js';
import type { BoundSealer, SealBinding } from '../deps.js';

export const STANDALONE_SEAL_SCOPE = 'oauth2-connect/standalone';

export interface SealingKeys {
  encryptionKeys: Array<{ id: string; key: Buffer }>;
  currentKeyId: string;
  /** APP_ACCEPT_UNBOUND_SEALED: false refuses values of the first, unbound format. Default true. */
  acceptUnboundSealed?: boolean;
}

/** Idempotent: a binding the core already scoped to this host (core/seal_slots with STANDALONE_SEAL_SCOPE) is left as it is. */
function scoped(binding: SealBinding): SealBinding {
  const scope = binding.scope;
  if (!scope) return { ...binding, scope: STANDALONE_SEAL_SCOPE };
  return scope.startsWith(STANDALONE_SEAL_SCOPE) ? binding : { ...binding, scope: `${STANDALONE_SEAL_SCOPE} ${scope}` };
}

export function createStandaloneSealer(keys: SealingKeys): BoundSealer {
  const cipher = createTokenCipher({ keys: keys.encryptionKeys, currentKeyId: keys.currentKeyId, acceptUnbound: keys.acceptUnboundSealed });
  return {
    seal: (plaintext, binding) => cipher.seal(plaintext, scoped(binding)),
    open: (sealed, binding) => cipher.open(sealed, scoped(binding)),
  };
}

/** A provider's client secret is bound to its provider and origin (moving the provider means typing the secret again): the core's slot, in this host's scope. */
export const standaloneClientSecretBinding = (config: ProviderConfig): SealBinding => clientSecretSlot(config, STANDALONE_SEAL_SCOPE);
