/** Checks shared by add, edit and register: discovery, unique display names, a secret never sent to a new origin. */
import { isOAuthError, originMoved, type ProviderConfig } from '@oauth2-connect/engine';
import { UserFacingError } from '../errors.js';
import { md } from '../format.js';
import { type StoredProvider, toProviderConfig } from '../provider_records.js';
import type { CoreDeps, CoreRequest, CoreValues } from '../request.js';
import { isWrongBinding } from '../token_use.js';
import { openProvider } from '../providers.js';
import type { AdminDeps } from './provider_secrets.js';
import { text } from './values.js';

/** Discovery is checked before saving, so a typo in an issuer never reaches users. */
export async function checkDiscovery(deps: Pick<CoreDeps, 'engine'>, config: ProviderConfig): Promise<void> {
  try {
    await deps.engine.resolve(config);
  } catch (err) {
    if (!isOAuthError(err)) throw err;
    const field = config.preset === 'oidc' ? 'issuer' : config.base_url !== undefined ? 'base_url' : 'preset';
    throw new UserFacingError(`The provider's metadata could not be used: ${err.userMessage}${err.adminDetail ? ` (${err.adminDetail})` : ''}`, {
      fieldErrors: { [field]: err.userMessage },
    });
  }
}

/** Display names are unique: users pick providers by them. */
export function checkDisplayName(all: StoredProvider[], config: ProviderConfig): void {
  const clash = all.find((p) => p.id !== config.id && p.display_name.toLowerCase() === config.display_name.toLowerCase());
  if (clash)
    throw new UserFacingError(`The display name "${md(config.display_name)}" is already used by \`${clash.id}\`.`, {
      fieldErrors: { display_name: 'Already used by another provider' },
    });
}

/** The saved client secret is never sent to another origin: moving the provider means typing it again. */
export function refuseSecretMove(values: CoreValues, before: ProviderConfig, after: ProviderConfig): void {
  if (after.token_endpoint_auth_method === 'none' || text(values, 'client_secret')) return;
  let moved: boolean;
  try {
    moved = originMoved(before, after);
  } catch {
    return; // An unusable URL is reported by the discovery check that follows.
  }
  if (!moved) return;
  const message =
    'The issuer or an endpoint moves to another address: enter the client secret again (the saved one is not sent to a new address). Connected users will have to reconnect.';
  throw new UserFacingError(message, { fieldErrors: { client_secret: 'Enter the client secret again' } });
}

/**
 * The provider as saved, before an edit. A saved secret sealed for other
 * origins than the record names today (the record was altered, or it was saved
 * before all its typed endpoints were bound) is never used: the edit goes on
 * only with a new secret typed (or as a public client), which repairs it.
 */
export function savedBeforeEdit(stored: StoredProvider, deps: AdminDeps, req: CoreRequest): ProviderConfig {
  try {
    return openProvider(stored, deps);
  } catch (err) {
    if (!isWrongBinding(err)) throw err;
    if (text(req.values, 'client_secret') || text(req.values, 'auth') === 'none') return toProviderConfig(stored, undefined);
    const message =
      "The saved client secret was sealed for other addresses than this provider's, so it is not used: enter the client secret again. Connected users will have to reconnect.";
    throw new UserFacingError(message, { fieldErrors: { client_secret: 'Enter the client secret again' } });
  }
}
