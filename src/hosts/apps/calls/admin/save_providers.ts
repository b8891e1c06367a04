/**
 * Writing the provider list to oauth2/app (needs a system admin's acting
 * token). The plugin replaces the whole object and pushes refresh_bindings to
 * everyone, so bindings pick the change up at once.
 */
import type { CallRequest } from '../../protocol/types.js';
import { MAX_VALUE_BYTES } from '@oauth2-connect/driver';
import { type ProvidersDoc, type StoredProvider, toProviderConfig } from '../../../../core/provider_records.js';
import { userClient } from '../context.js';
import type { Deps } from '../deps.js';
import { UserFacingError } from '../../../../core/errors.js';
import { clientSecretSlot } from '../../../../core/seal_slots.js';

/** oauth2/app has one client slot; ours holds a placeholder and the providers live in `data`. */
const CLIENT_SLOT = { client_id: 'oauth2-connect', client_secret: '' };

/** A secret sealed with an older key or the older unbound format is re-sealed whenever the list is written. */
function resealed(p: StoredProvider, deps: Deps): StoredProvider {
  if (p.sealed_secret === undefined) return p;
  const slot = clientSecretSlot(toProviderConfig(p, undefined));
  try {
    const { plaintext, stale } = deps.sealer.open(p.sealed_secret, slot);
    return stale ? { ...p, sealed_secret: deps.sealer.seal(plaintext, slot) } : p;
  } catch {
    return p; // Unreadable here (wrong key or slot): kept as it is, never deleted.
  }
}

export async function saveProviders(req: CallRequest, deps: Deps, providers: StoredProvider[]): Promise<void> {
  const doc: ProvidersDoc = { v: 1, providers: providers.map((p) => resealed(p, deps)) };
  const body = { ...CLIENT_SLOT, data: doc };
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > MAX_VALUE_BYTES) {
    throw new UserFacingError(
      `The provider list would take ${bytes} bytes, over the Apps plugin's ${MAX_VALUE_BYTES}-byte limit. Remove a provider or shorten its settings.`,
    );
  }
  await userClient(req, deps).storeOAuth2App(body);
}
