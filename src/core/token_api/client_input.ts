/**
 * What an admin types in the client dialog, checked: a name, the providers it
 * may ask for (registered ones), the scopes it may receive (each one a scope
 * of a chosen provider), the addresses it may call from (CIDRs) and its rate.
 * A refusal names the fields; nothing is stored before everything holds.
 */
import { UserFacingError } from '../errors.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreValues } from '../request.js';
import type { TokenClient } from './types.js';
import { validSource } from '../../util/address_sources.js';

export const DEFAULT_RATE_PER_MINUTE = 600;
export const MAX_RATE_PER_MINUTE = 60_000;

/** What an admin chooses for a client; the rest of its record is the service's. */
export type ClientSettings = Pick<TokenClient, 'id' | 'name' | 'providers' | 'scopes' | 'sources' | 'rate_per_minute'>;

const words = (value: CoreValues[string]): string[] =>
  typeof value === 'string'
    ? [
        ...new Set(
          value
            .split(/[\s,]+/)
            .map((w) => w.trim())
            .filter(Boolean),
        ),
      ]
    : [];

/** The client's id: its name in lower case, words joined by dashes. */
export const clientIdOf = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);

export function clientSettings(values: CoreValues, registered: StoredProvider[]): ClientSettings {
  const errors: Record<string, string> = {};
  const name = typeof values.name === 'string' ? values.name.trim() : '';
  const id = clientIdOf(name);
  if (name.length === 0 || name.length > 64 || id.length === 0) errors.name = 'A name of 1 to 64 characters, with a letter or digit.';
  const providers = words(values.providers).map((p) => p.toLowerCase());
  const chosen = providers.map((p) => registered.find((r) => r.id === p));
  const unknown = providers.filter((_p, i) => !chosen[i]);
  if (providers.length === 0) errors.providers = 'Name at least one registered provider.';
  else if (unknown.length > 0) errors.providers = `Not registered: ${unknown.join(', ').slice(0, 100)}.`;
  const offered = new Set(chosen.flatMap((p) => p?.scopes ?? []));
  const typedScopes = words(values.scopes);
  const scopes = typedScopes.length > 0 ? typedScopes : [...offered];
  const beyond = scopes.filter((s) => !offered.has(s));
  if (beyond.length > 0) errors.scopes = `Not a scope of the chosen providers: ${beyond.join(' ').slice(0, 100)}.`;
  const sources = words(values.sources);
  const badSources = sources.filter((s) => !validSource(s));
  if (badSources.length > 0) errors.sources = `Not an address or CIDR: ${badSources.join(', ').slice(0, 100)}.`;
  const rateText = typeof values.rate_per_minute === 'string' && values.rate_per_minute.trim() !== '' ? values.rate_per_minute.trim() : undefined;
  const rate = rateText === undefined ? DEFAULT_RATE_PER_MINUTE : Number(rateText);
  if (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE_PER_MINUTE) errors.rate_per_minute = `A whole number from 1 to ${MAX_RATE_PER_MINUTE}.`;
  if (Object.keys(errors).length > 0) throw new UserFacingError('Some values are not valid; nothing was saved.', { fieldErrors: errors });
  return { id, name, providers, scopes, sources, rate_per_minute: rate };
}
