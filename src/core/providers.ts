/** Finding the provider a request names, and opening its sealed client secret. */
import type { Logger } from '../log/logger.js';
import type { ProviderConfig } from '@oauth2-connect/engine';
import { UserFacingError } from './errors.js';
import { toProviderConfig, type StoredProvider } from './provider_records.js';
import type { CoreValues } from './request.js';
import { clientSecretSlot } from './seal_slots.js';
import type { SecretSealer } from './secret_sealer.js';

export const NO_PROVIDERS = 'No OAuth2 providers are registered yet. A system admin can add one with `/oauth2 provider add`.';

export const providerNames = (list: StoredProvider[]): string => list.map((p) => `\`${p.id}\``).join(', ');

/** The provider id the values name (lower-cased), if any. */
export function namedProvider(values: CoreValues): string | undefined {
  const raw = values.provider;
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim().toLowerCase() : undefined;
}

/**
 * The provider named by values.provider among all registered ones, or the only
 * candidate when none is named. `verb` completes "There is no provider to …".
 */
export function chosenProvider(all: StoredProvider[], values: CoreValues, candidates: StoredProvider[], verb: string): StoredProvider {
  if (all.length === 0) throw new UserFacingError(NO_PROVIDERS);
  const id = namedProvider(values);
  if (id === undefined) {
    if (candidates.length === 1 && candidates[0]) return candidates[0];
    if (candidates.length === 0) throw new UserFacingError(`There is no provider to ${verb}.`);
    throw new UserFacingError(`Which provider? Choose one of ${providerNames(candidates)}.`, { fieldErrors: { provider: 'Choose a provider' } });
  }
  const found = all.find((p) => p.id === id);
  if (!found)
    throw new UserFacingError(`Provider \`${id.slice(0, 40)}\` is not registered. Registered: ${providerNames(all)}.`, {
      fieldErrors: { provider: 'Not a registered provider' },
    });
  return found;
}

export interface OpenDeps {
  sealer: SecretSealer;
  logger: Pick<Logger, 'addSecrets'>;
}

/**
 * Each kept provider record's config with its client secret opened, per sealer: a frozen record does not
 * change (the standalone host keeps its provider list frozen while the list's version holds, and any
 * change is a new record), so its secret is opened once, not at every request. Kept per sealer as well,
 * so a record opened by one sealer is never answered to a caller holding another (another host, another
 * key, another service in the same process).
 */
const openedBySealer = new WeakMap<SecretSealer, WeakMap<StoredProvider, ProviderConfig>>();

/** The record's config with its secret opened by this sealer, kept when the record is frozen. */
function opened(stored: StoredProvider, sealed: string, sealer: SecretSealer): ProviderConfig {
  const secret = sealer.open(sealed, clientSecretSlot(toProviderConfig(stored, undefined))).plaintext;
  const config = toProviderConfig(stored, secret);
  if (!Object.isFrozen(stored)) return config;
  // Frozen as the record is: every later caller shares it.
  Object.freeze(config);
  const kept = openedBySealer.get(sealer);
  if (kept) kept.set(stored, config);
  else openedBySealer.set(sealer, new WeakMap([[stored, config]]));
  return config;
}

/**
 * The engine's config with the client secret opened by the host's sealer (a key problem surfaces
 * as TokenCipherError); the secret is registered with the logger's redaction. Every operation of
 * either host that sends a provider its secret opens it here. A record that is not frozen, or a
 * secret that did not open, is opened again at the next call.
 */
export function openProvider(stored: StoredProvider, deps: OpenDeps): ProviderConfig {
  if (stored.sealed_secret === undefined) return toProviderConfig(stored, undefined);
  const config = openedBySealer.get(deps.sealer)?.get(stored) ?? opened(stored, stored.sealed_secret, deps.sealer);
  // Registered at every call, kept or not: the logger keeps a bounded list of what to redact.
  deps.logger.addSecrets(config.client_secret);
  return config;
}
