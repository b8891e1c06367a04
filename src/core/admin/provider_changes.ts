/** `provider add|edit|remove`: the forms and the changes, for system admins only. */
import { UserFacingError } from '../errors.js';
import { md } from '../format.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreAnswer, CoreRequest } from '../request.js';
import { requireAdminUser } from './admin_guard.js';
import { changedFieldNames } from './audited.js';
import { checkDiscovery, checkDisplayName, refuseSecretMove, savedBeforeEdit } from './provider_checks.js';
import { type FormRefresh, providerFormSpec } from './provider_form.js';
import { readProviderInput } from './provider_input.js';
import { namedProvider } from './provider_lookup.js';
import { holdTokens, revokeHeldTokens } from './provider_removal.js';
import { type AdminDeps, toStored } from './provider_secrets.js';
import { bool } from './values.js';

export async function providerAddForm(req: CoreRequest, refresh?: FormRefresh): Promise<CoreAnswer> {
  requireAdminUser(req);
  return { form: providerFormSpec({ values: req.values, host: req.host, mode: 'add', ...(refresh && { refresh }) }) };
}

export async function addProvider(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  requireAdminUser(req);
  const config = readProviderInput(req.values);
  const existing = await req.providers.list();
  if (existing.some((p) => p.id === config.id))
    throw new UserFacingError(`A provider named \`${config.id}\` already exists. Choose another short name, or use \`/oauth2 provider edit ${config.id}\`.`, {
      fieldErrors: { id: 'Already in use' },
    });
  checkDisplayName(existing, config);
  await checkDiscovery(deps, config);
  await req.providers.save(toStored(config, deps));
  return { text: `Registered **${md(config.display_name)}**. Users connect with \`/oauth2 connect ${config.id}\`.`, refresh: true };
}

/** The provider being edited: values.provider (the host puts the form's target there). */
async function editedProvider(req: CoreRequest): Promise<StoredProvider> {
  return namedProvider(req.values, await req.providers.list(), 'edit');
}

export async function providerEditForm(req: CoreRequest, refresh?: FormRefresh): Promise<CoreAnswer> {
  requireAdminUser(req);
  const stored = await editedProvider(req);
  return { form: providerFormSpec({ values: req.values, host: req.host, mode: 'edit', stored, ...(refresh && { refresh }) }) };
}

export async function editProvider(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  requireAdminUser(req);
  const all = await req.providers.list();
  const stored = namedProvider(req.values, all, 'edit');
  const before = savedBeforeEdit(stored, deps, req);
  const config = readProviderInput(req.values, { ...(before.client_secret !== undefined && { keepSecret: before.client_secret }), fixedId: stored.id });
  if (config.preset !== stored.preset)
    throw new UserFacingError('The provider type cannot change; remove the provider and add it again.', { fieldErrors: { preset: 'Cannot change' } });
  refuseSecretMove(req.values, before, config);
  checkDisplayName(all, config);
  await checkDiscovery(deps, config);
  const saved = toStored(config, deps, stored);
  await req.providers.save(saved);
  const changed = changedFieldNames(stored, saved, config.client_secret !== before.client_secret);
  return { text: `Updated **${md(config.display_name)}**.`, refresh: true, auditDetail: `changed: ${changed.join(', ') || 'nothing'}` };
}

export async function removeProvider(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  requireAdminUser(req);
  const stored = namedProvider(req.values, await req.providers.list(), 'remove');
  if (bool(req.values, 'confirm') !== true) {
    // Hosts that read every user's row revoke the tokens (provider_removal.ts); the others can only leave them unusable.
    const effect = req.connections.ofProvider ? "deletes its users' connections and revokes their tokens at the provider" : "makes its users' tokens unusable";
    throw new UserFacingError(`Removing **${md(stored.display_name)}** ${effect}. Confirm with \`/oauth2 provider remove ${stored.id} --confirm true\`.`, {
      fieldErrors: { confirm: 'Tick to confirm' },
    });
  }
  const held = await holdTokens(req, deps, stored);
  await req.providers.remove(stored.id);
  const removed = `Removed **${md(stored.display_name)}**.`;
  if (!held)
    return {
      text: `${removed} Its users can no longer use their tokens; if it is added again they must reconnect.`,
      refresh: true,
      auditDetail: 'tokens left unusable',
    };
  const users = held.rows.length + held.unreadable;
  if (users === 0) return { text: `${removed} No user was connected to it.`, refresh: true, auditDetail: '0 connections deleted' };
  // After the answer: thousands of revocations must not hold up the command (Mattermost waits a few seconds).
  void revokeHeldTokens(req, deps, stored, held)
    .then((summary) => req.host.notify(req.user.id, summary))
    .catch((err: unknown) => deps.logger.warn('provider removal: the summary message failed', { provider: stored.id, error: err }));
  return {
    text:
      users === 1
        ? `${removed} Its 1 connection was deleted; its tokens are being revoked at the provider, and you will get a direct message when that is done.`
        : `${removed} Its ${users} connections were deleted; their tokens are being revoked at the provider, and you will get a direct message when that is done.`,
    refresh: true,
    auditDetail: `${users} connections deleted, their tokens being revoked`,
  };
}
