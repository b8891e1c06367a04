/**
 * A saved client secret sealed for other origins than its provider names today
 * (saved before its typed endpoints were bound, or a record altered in the
 * store) is never used by an edit: the admin types it again, which repairs it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editProvider } from '../../../src/core/admin/provider_changes.js';
import { clientSecretBinding, toStored } from '../../../src/core/admin/provider_secrets.js';
import { UserFacingError } from '../../../src/core/errors.js';
import type { ProviderConfig } from '../../../packages/engine/src/types.js';
import { SCOPE, setup } from './admin_setup.js';

/** A generic provider whose authorization and token endpoints are on two origins. */
const SPLIT: ProviderConfig = {
  id: 'split',
  display_name: 'Split',
  preset: 'oauth2',
  endpoints: { authorization_endpoint: 'https://www.split.example/authorize', token_endpoint: 'https://api.split.example/token' },
  client_id: 'split-client',
  client_secret: 'split-secret-1',
  token_endpoint_auth_method: 'client_secret_basic',
  scopes: ['read'],
};

/** The form's values for SPLIT, as an edit shows them. */
const FORM = {
  provider: 'split',
  preset: 'oauth2',
  display_name: 'Split renamed',
  endpoints_authorization_endpoint: 'https://www.split.example/authorize',
  endpoints_token_endpoint: 'https://api.split.example/token',
  client_id: 'split-client',
  auth: 'client_secret_basic',
  scopes: 'read',
};

/** SPLIT saved with its secret sealed for the token endpoint's origin only. */
async function savedForTokenOriginOnly() {
  const world = setup();
  const stored = toStored({ ...SPLIT, client_secret: undefined }, world.deps);
  const sealed_secret = world.deps.sealer.seal('split-secret-1', {
    kind: 'client_secret',
    provider_id: 'split',
    origin: 'https://api.split.example',
    scope: SCOPE,
  });
  await world.providers.save({ ...stored, sealed_secret });
  return world;
}

describe('editing a provider whose saved secret was sealed for other origins', () => {
  it('when the admin edits it without typing the secret, then the edit is refused on the client secret field and nothing changes', async () => {
    const { providers, deps, request } = await savedForTokenOriginOnly();
    const before = JSON.stringify(await providers.get('split'));
    await assert.rejects(editProvider(request(FORM), deps), (err: unknown) => {
      assert.ok(err instanceof UserFacingError);
      assert.match(err.message, /sealed for other addresses.*enter the client secret again/);
      assert.equal(err.fieldErrors?.client_secret, 'Enter the client secret again');
      return true;
    });
    assert.equal(JSON.stringify(await providers.get('split')), before);
  });

  it('when the admin types the secret again, then the edit is saved and the secret opens for every origin the provider now names', async () => {
    const { providers, deps, request } = await savedForTokenOriginOnly();
    const answer = await editProvider(request({ ...FORM, client_secret: 'split-secret-2' }), deps);
    assert.match(answer.text ?? '', /^Updated \*\*Split renamed\*\*/);
    const stored = await providers.get('split');
    assert.equal(deps.sealer.open(stored!.sealed_secret!, clientSecretBinding(SPLIT, SCOPE)).plaintext, 'split-secret-2');
    assert.equal(clientSecretBinding(SPLIT, SCOPE).origin, 'https://api.split.example https://www.split.example');
  });
});
