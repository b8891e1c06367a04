/** Finding the provider a call names, and opening its sealed client secret. */
import type { CallRequest } from '../protocol/types.js';
import { select } from '../protocol/values.js';
import type { ProviderConfig } from '../../../oauth/types.js';
import { toProviderConfig, type StoredProvider } from '../../../core/provider_records.js';
import { providersOf } from './context.js';
import type { Deps } from './deps.js';
import { UserFacingError } from '../../../core/errors.js';
import { clientSecretSlot } from './seal_slots.js';

export const NO_PROVIDERS = 'No OAuth2 providers are registered yet. A system admin can add one with `/oauth2 provider add`.';

const names = (list: StoredProvider[]) => list.map((p) => `\`${p.id}\``).join(', ');

/** The provider named by values.provider, or the only candidate when none is named. */
export function chosenProvider(req: CallRequest, candidates: StoredProvider[], verb: string): StoredProvider {
  const all = providersOf(req);
  if (all.length === 0) throw new UserFacingError(NO_PROVIDERS);
  const id = select(req.values, 'provider')?.toLowerCase();
  if (id === undefined) {
    if (candidates.length === 1 && candidates[0]) return candidates[0];
    if (candidates.length === 0) throw new UserFacingError(`There is no provider to ${verb}.`);
    throw new UserFacingError(`Which provider? Choose one of ${names(candidates)}.`, { provider: 'Choose a provider' });
  }
  const found = all.find((p) => p.id === id);
  if (!found)
    throw new UserFacingError(`Provider \`${id.slice(0, 40)}\` is not registered. Registered: ${names(all)}.`, { provider: 'Not a registered provider' });
  return found;
}

/** The engine's config with the client secret opened (a key problem surfaces as TokenCipherError). */
export function openProvider(stored: StoredProvider, deps: Deps): ProviderConfig {
  if (stored.sealed_secret === undefined) return toProviderConfig(stored, undefined);
  const slot = clientSecretSlot(toProviderConfig(stored, undefined));
  const secret = deps.sealer.open(stored.sealed_secret, slot).plaintext;
  deps.logger.addSecrets(secret);
  return toProviderConfig(stored, secret);
}
