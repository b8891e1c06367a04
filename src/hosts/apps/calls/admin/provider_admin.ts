/** `/oauth2 provider add|edit|remove` for system admins. */
import { form, okRefresh } from '../../protocol/responses.js';
import type { CallRequest } from '../../protocol/types.js';
import { bool, text } from '../../protocol/values.js';
import { originMoved } from '../../../../oauth/provider_origin.js';
import { CallPath } from '../../protocol/paths.js';
import type { ProviderConfig } from '../../../../oauth/types.js';
import { isOAuthError } from '../../../../oauth/errors.js';
import type { StoredProvider } from '../../../../core/provider_records.js';
import { botClient, providersOf } from '../context.js';
import type { Deps, Handler } from '../deps.js';
import { UserFacingError } from '../../../../core/errors.js';
import { md } from '../../../../core/format.js';
import { chosenProvider, openProvider } from '../provider_access.js';
import { providerForm } from './provider_form.js';
import { readProviderInput } from './provider_input.js';
import { saveProviders, toStored } from './save_providers.js';

/** Discovery is checked before saving, so a typo in an issuer never reaches users. */
export async function checkDiscovery(deps: Deps, config: ProviderConfig): Promise<void> {
  try {
    await deps.engine.resolve(config);
  } catch (err) {
    if (!isOAuthError(err)) throw err;
    const field = config.preset === 'oidc' ? 'issuer' : config.base_url !== undefined ? 'base_url' : 'preset';
    throw new UserFacingError(`The provider's metadata could not be used: ${err.userMessage}${err.adminDetail ? ` (${err.adminDetail})` : ''}`, {
      [field]: err.userMessage,
    });
  }
}

/** Display names are unique: users pick providers by them. */
export function checkDisplayName(req: CallRequest, config: ProviderConfig): void {
  const clash = providersOf(req).find((p) => p.id !== config.id && p.display_name.toLowerCase() === config.display_name.toLowerCase());
  if (clash)
    throw new UserFacingError(`The display name "${md(config.display_name)}" is already used by \`${clash.id}\`.`, {
      display_name: 'Already used by another provider',
    });
}

/** The saved client secret is never sent to another origin: moving the provider means typing it again. */
function refuseSecretMove(req: CallRequest, before: ProviderConfig, after: ProviderConfig): void {
  if (after.token_endpoint_auth_method === 'none' || text(req.values, 'client_secret')) return;
  let moved: boolean;
  try {
    moved = originMoved(before, after);
  } catch {
    return; // An unusable URL is reported by the discovery check that follows.
  }
  if (!moved) return;
  const message =
    'The issuer or token endpoint moves to another address: enter the client secret again (the saved one is not sent to a new address). Connected users will have to reconnect.';
  throw new UserFacingError(message, { client_secret: 'Enter the client secret again' });
}

export const providerAddForm: Handler = async (req) => form(providerForm(req, 'add', CallPath.providerAdd, CallPath.providerAddForm));

export const providerAdd: Handler = async (req, deps) => {
  const config = readProviderInput(req);
  const existing = providersOf(req);
  if (existing.some((p) => p.id === config.id))
    throw new UserFacingError(`A provider named \`${config.id}\` already exists. Choose another short name, or use \`/oauth2 provider edit ${config.id}\`.`, {
      id: 'Already in use',
    });
  checkDisplayName(req, config);
  await checkDiscovery(deps, config);
  await saveProviders(req, deps, [...existing, toStored(config, deps)]);
  return okRefresh(`Registered **${md(config.display_name)}**. Users connect with \`/oauth2 connect ${config.id}\`.`);
};

function editedProvider(req: CallRequest): StoredProvider {
  const id = (req.state as { provider?: unknown } | undefined)?.provider;
  const all = providersOf(req);
  const found = typeof id === 'string' ? all.find((p) => p.id === id) : chosenProvider(req, all, 'edit');
  if (!found) throw new UserFacingError('That provider is no longer registered.');
  return found;
}

export const providerEditForm: Handler = async (req) => {
  const stored = editedProvider(req);
  return form(providerForm(req, 'edit', CallPath.providerEdit, CallPath.providerEditForm, stored));
};

export const providerEdit: Handler = async (req, deps) => {
  const stored = editedProvider(req);
  const before = openProvider(stored, deps);
  const config = readProviderInput(req, { keepSecret: before.client_secret, fixedId: stored.id });
  if (config.preset !== stored.preset)
    throw new UserFacingError('The provider type cannot change; remove the provider and add it again.', { preset: 'Cannot change' });
  refuseSecretMove(req, before, config);
  checkDisplayName(req, config);
  await checkDiscovery(deps, config);
  const updated = toStored(config, deps, stored);
  await saveProviders(
    req,
    deps,
    providersOf(req).map((p) => (p.id === stored.id ? updated : p)),
  );
  return okRefresh(`Updated **${md(config.display_name)}**.`);
};

export const providerRemove: Handler = async (req, deps) => {
  const all = providersOf(req);
  const stored = chosenProvider(req, all, 'remove');
  if (bool(req.values, 'confirm') !== true) {
    throw new UserFacingError(
      `Removing **${md(stored.display_name)}** makes its users' tokens unusable. Confirm with \`/oauth2 provider remove ${stored.id} --confirm true\`.`,
      { confirm: 'Tick to confirm' },
    );
  }
  await saveProviders(
    req,
    deps,
    all.filter((p) => p.id !== stored.id),
  );
  await deps.reportIndex.clear(botClient(req, deps), stored.id).catch((err) => deps.logger.warn('report index clear failed', { error: err }));
  return okRefresh(`Removed **${md(stored.display_name)}**. Its users can no longer use their tokens; if it is added again they must reconnect.`);
};
