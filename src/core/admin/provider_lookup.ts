/** Finding the provider an admin operation names (values.provider), or the only one. */
import { UserFacingError } from '../errors.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreValues } from '../request.js';
import { text } from './values.js';

export const NO_PROVIDERS = 'No OAuth2 providers are registered yet. A system admin can add one with `/oauth2 provider add`.';

const names = (list: StoredProvider[]) => list.map((p) => `\`${p.id}\``).join(', ');

export function namedProvider(values: CoreValues, all: StoredProvider[], verb: string): StoredProvider {
  if (all.length === 0) throw new UserFacingError(NO_PROVIDERS);
  const id = text(values, 'provider')?.toLowerCase();
  if (id === undefined) {
    if (all.length === 1 && all[0]) return all[0];
    if (all.length === 0) throw new UserFacingError(`There is no provider to ${verb}.`);
    throw new UserFacingError(`Which provider? Choose one of ${names(all)}.`, { provider: 'Choose a provider' });
  }
  const found = all.find((p) => p.id === id);
  if (!found)
    throw new UserFacingError(`Provider \`${id.slice(0, 40)}\` is not registered. Registered: ${names(all)}.`, { provider: 'Not a registered provider' });
  return found;
}
