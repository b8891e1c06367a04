/**
 * The Apps host's seal slots: the core's (src/core/seal_slots.ts) with the
 * App id as scope, so values sealed before the core existed still open.
 */
import { APP_ID } from '../protocol/manifest.js';
import type { SealBinding } from '../../../oauth/crypto.js';
import type { ProviderConfig } from '../../../oauth/types.js';
import type { CallRequest } from '../protocol/types.js';
import { TokenStore } from '../store/token_store.js';
import { userClient } from './context.js';
import type { Deps } from './deps.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import * as core from '../../../core/seal_slots.js';

export function clientSecretSlot(config: ProviderConfig): SealBinding {
  return core.clientSecretSlot(config, APP_ID);
}

export function tokenSlot(userId: string, stored: StoredProvider): SealBinding {
  return core.tokenSlot(userId, stored, APP_ID);
}

/** The acting user's token store; every token it reads or writes is registered with the logger's redaction. */
export function userTokenStore(req: CallRequest, deps: Deps): TokenStore {
  return new TokenStore(userClient(req, deps), deps.sealer, (t) => deps.logger.addSecrets(t.access_token, t.refresh_token, t.id_token));
}
