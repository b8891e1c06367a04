/**
 * The slot each sealed value belongs to (see oauth/seal_binding.ts): a
 * provider's client secret, or one user's token at one provider and origin.
 */
import { APP_ID } from '../protocol/manifest.js';
import type { SealBinding } from '../../../oauth/crypto.js';
import { providerOrigin } from '../../../oauth/provider_origin.js';
import type { ProviderConfig } from '../../../oauth/types.js';
import type { CallRequest } from '../protocol/types.js';
import { TokenStore } from '../store/token_store.js';
import { userClient } from './context.js';
import type { Deps } from './deps.js';
import { type StoredProvider, toProviderConfig } from '../../../core/provider_records.js';

/** A client secret is bound to its provider and origin too: moving the provider means typing the secret again. */
export function clientSecretSlot(config: ProviderConfig): SealBinding {
  return { kind: 'client_secret', provider_id: config.id, origin: providerOrigin(config), scope: APP_ID };
}

export function tokenSlot(userId: string, stored: StoredProvider): SealBinding {
  return { kind: 'token', provider_id: stored.id, user_id: userId, origin: providerOrigin(toProviderConfig(stored, undefined)), scope: APP_ID };
}

/** The acting user's token store; every token it reads or writes is registered with the logger's redaction. */
export function userTokenStore(req: CallRequest, deps: Deps): TokenStore {
  return new TokenStore(userClient(req, deps), deps.sealer, (t) => deps.logger.addSecrets(t.access_token, t.refresh_token, t.id_token));
}
