/** Registered providers as the standalone host reads them: listing texts and opening a client secret. */
import type { ProviderConfig } from '../../oauth/types.js';
import { type StoredProvider, toProviderConfig } from '../../core/provider_records.js';
import type { StandaloneDeps } from './deps.js';
import { UserFacingError } from '../../core/errors.js';

export const NO_PROVIDERS = 'No OAuth2 providers are registered yet. A system admin can add one with `/oauth2 provider add`.';

export const providerNames = (list: StoredProvider[]): string => list.map((p) => `\`${p.id}\``).join(', ');

/** The engine's config with the client secret opened under its binding. */
export function openProvider(stored: StoredProvider, deps: Pick<StandaloneDeps, 'sealer' | 'clientSecretBinding'>): ProviderConfig {
  const bare = toProviderConfig(stored, undefined);
  if (stored.sealed_secret === undefined) return bare;
  return toProviderConfig(stored, deps.sealer.open(stored.sealed_secret, deps.clientSecretBinding(bare)).plaintext);
}

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
