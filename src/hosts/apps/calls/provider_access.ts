/** Finding the provider a call names, and opening its sealed client secret (the core's rules, the Apps host's inputs). */
import type { CallRequest } from '../protocol/types.js';
import { select } from '../protocol/values.js';
import type { ProviderConfig } from '../../../oauth/types.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import * as core from '../../../core/providers.js';
import { providersOf } from './context.js';
import type { Deps } from './deps.js';
import { APP_ID } from '../protocol/manifest.js';

export const NO_PROVIDERS = core.NO_PROVIDERS;

/** The provider named by values.provider, or the only candidate when none is named. */
export function chosenProvider(req: CallRequest, candidates: StoredProvider[], verb: string): StoredProvider {
  return core.chosenProvider(providersOf(req), { provider: select(req.values, 'provider') }, candidates, verb);
}

/** The engine's config with the client secret opened (a key problem surfaces as TokenCipherError). */
export function openProvider(stored: StoredProvider, deps: Deps): ProviderConfig {
  return core.openProvider(stored, deps, APP_ID);
}
