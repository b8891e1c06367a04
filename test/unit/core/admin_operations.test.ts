import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addProvider, editProvider, providerAddForm, removeProvider } from '../../../src/core/admin/provider_changes.js';
import { connectionReport, listProviders, providerRegisterForm, registerProvider, testProvider } from '../../../src/core/admin/provider_reports.js';
import { clientSecretBinding, toStored } from '../../../src/core/admin/provider_secrets.js';
import { UserFacingError } from '../../../src/core/errors.js';
import { OIDC, SCOPE, setup } from './admin_setup.js';

describe('core admin operations', () => {
  it('when the user is not an admin, then every operation refuses and nothing changes', async () => {
    const { providers, deps, request } = setup();
    await providers.save(toStored(OIDC, deps));
    const before = JSON.stringify([...providers.rows.values()]);
    const values = { preset: 'oidc', id: 'x', display_name: 'X', issuer: 'https://x.example', client_id: 'c', auth: 'none', provider: 'idp', confirm: true };
    const ops = [
      addProvider,
      editProvider,
      removeProvider,
      testProvider,
      listProviders,
      registerProvider,
      connectionReport,
      providerAddForm,
      providerRegisterForm,
    ];
    for (const op of ops) {
      await assert.rejects(
        op(request(values, false), deps),
        (err: Error) => err instanceof UserFacingError && err.message === 'Only system admins can manage OAuth2 providers.',
      );
    }
    assert.equal(JSON.stringify([...providers.rows.values()]), before);
  });

  it('when the issuer moves to another origin without the secret, then the secret is asked again and nothing changes', async () => {
    const { providers, deps, request } = setup();
    await providers.save(toStored(OIDC, deps));
    const values = {
      provider: 'idp',
      preset: 'oidc',
      display_name: 'IdP',
      issuer: 'https://elsewhere.example',
      client_id: OIDC.client_id,
      auth: 'client_secret_post',
    };
    await assert.rejects(editProvider(request(values), deps), (err: UserFacingError) => err.fieldErrors?.client_secret === 'Enter the client secret again');
    assert.equal((await providers.get('idp'))?.issuer, 'https://idp.example');
  });

  it('when providers are listed, then client ids show their last 4 characters and no secret appears', async () => {
    const { providers, deps, request } = setup();
    await providers.save(toStored(OIDC, deps));
    const { text } = await listProviders(request({}));
    assert.match(text ?? '', /client `…6789`/);
    assert.ok(!text?.includes('sekret') && !text?.includes('client-123'));
    const stored = await providers.get('idp');
    assert.equal(deps.sealer.open(stored!.sealed_secret!, clientSecretBinding(OIDC, SCOPE)).plaintext, 'sekret-value-1');
  });

  it('when a provider is removed, then only with confirm', async () => {
    const { providers, deps, request } = setup();
    await providers.save(toStored(OIDC, deps));
    await assert.rejects(removeProvider(request({ provider: 'idp' }), deps), (err: UserFacingError) => err.fieldErrors?.confirm === 'Tick to confirm');
    assert.equal(providers.rows.size, 1);
    assert.match((await removeProvider(request({ provider: 'idp', confirm: 'true' }), deps)).text ?? '', /^Removed \*\*IdP\*\*/);
    assert.equal(providers.rows.size, 0);
  });

  it('when removal is not confirmed, then the prompt says what removing does on this host', async () => {
    const { providers, connections, deps, request } = setup();
    await providers.save(toStored(OIDC, deps));
    const prompt = () =>
      removeProvider(request({ provider: 'idp' }), deps).then(
        () => assert.fail('removed without confirmation'),
        (err: UserFacingError) => err.message,
      );
    assert.match(await prompt(), /makes its users' tokens unusable/, "a host that cannot read other users' rows");
    Object.assign(connections, { ofProvider: async () => ({ rows: [], unreadable: 0 }) });
    assert.match(await prompt(), /deletes its users' connections and revokes their tokens at the provider/);
    assert.equal(providers.rows.size, 1);
  });

  it('when the report is asked, then it counts from connections.report() with the host usernames', async () => {
    const { providers, connections, deps, request } = setup();
    await providers.save(toStored(OIDC, deps));
    connections.report = async () => ({ idp: { connected: ['a', 'b'], broken: ['c'] } });
    const { text } = await connectionReport(request({}));
    assert.match(text ?? '', /\| IdP \| 2 \| 1 \| @name-a, @name-b \| @name-c \|/);
  });

  it('when the preset changes in the form, then preset-dependent values reset and the redirect URI is the host one', async () => {
    const { deps, request } = setup();
    const typed = { preset: 'gitlab', id: 'myoidc', display_name: 'Mine', issuer: 'https://idp.example', scopes: 'openid', client_id: 'keep' };
    const { form } = await providerAddForm(request(typed), { changed: 'preset', shownPreset: 'oidc' });
    const value = (name: string) => form?.fields.find((f) => f.name === name)?.value;
    assert.equal(value('id'), 'gitlab');
    assert.equal(value('client_id'), 'keep');
    assert.notEqual(value('display_name'), 'Mine');
    assert.match(form?.fields[0]?.help ?? '', /`https:\/\/svc\.example\/complete\/gitlab`/);
    assert.equal(form?.fields.find((f) => f.name === 'client_secret')?.type, 'password');
    assert.equal(form?.fields.find((f) => f.name === 'client_secret')?.value, undefined);
    const same = await providerAddForm(request({ ...typed, preset: 'oidc' }), { changed: 'preset', shownPreset: 'oidc' });
    assert.equal(same.form?.fields.find((f) => f.name === 'id')?.value, 'myoidc');
    void deps;
  });
});
