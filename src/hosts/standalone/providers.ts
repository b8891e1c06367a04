/** Registered providers as the standalone host's browser pages name them, and their redirect URIs. */
import type { StoredProvider } from '../../core/provider_records.js';
import { NO_PROVIDERS, providerNames } from '../../core/providers.js';
import type { StandaloneDeps } from './deps.js';
import { UserFacingError } from '../../core/errors.js';

/** The provider an id names; a clear refusal when it is not registered. */
export async function registeredProvider(deps: Pick<StandaloneDeps, 'providers'>, id: string): Promise<StoredProvider> {
  const found = await deps.providers.get(id);
  if (found) return found;
  const all = await deps.providers.list();
  if (all.length === 0) throw new UserFacingError(NO_PROVIDERS);
  throw new UserFacingError(`Provider \`${id.slice(0, 40)}\` is not registered. Registered: ${providerNames(all)}.`, { status: 404 });
}

/** The redirect URI of a provider: one exact URI per provider, which also names it on return. */
export function completeUrl(rootUrl: string, providerId: string): string {
  return `${rootUrl}/standalone/complete/${encodeURIComponent(providerId)}`;
}
