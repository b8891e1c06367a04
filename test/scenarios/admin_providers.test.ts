/**
 * Admins manage providers through the form (the Apps modal or the interactive
 * dialog), on every chosen host: the redirect URI shown, preset switching,
 * list and test, edit keeping the secret, dynamic registration, removal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getPreset } from '../../packages/engine/src/providers/index.js';
import type { Answer, OpenForm, Person, ScenarioHost } from './host.js';
import { connectUser, PROVIDER_ID, registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';

function formOf(answer: Answer): OpenForm {
  if (answer.kind !== 'form') assert.fail(`no form opened: ${answer.text}`);
  return answer.form;
}

for (const choice of scenarioHosts()) {
  describe(`admins manage providers (${choice.label})`, () => {
    let host: ScenarioHost;
    let erin: Person;
    const admin = (words: string[], values: Record<string, string | boolean> = {}) => host.command(host.admin, words, values);

    before(async () => {
      host = await choice.start();
      erin = await host.createUser('erin');
      await registerTestProvider(host);
      assert.ok((await connectUser(host, erin, 'erin')).completed);
    });
    after(() => host?.close());

    it('when an admin opens provider add, then the form shows the exact redirect URI and a hidden secret, and choosing a preset refreshes its fields', async () => {
      const form = formOf(await admin(['provider', 'add']));
      assert.ok(form.notes.includes(host.redirectUri(String(form.shown('id')))), form.notes);
      assert.ok(form.isSecret('client_secret'));
      await form.fill({ preset: 'github' });
      assert.equal(form.shown('base_url'), 'https://github.com');
      assert.equal(form.shown('issuer'), undefined, 'GitHub has no issuer field');
    });

    it("when an admin switches Provider type github -> oidc -> mattermost, then each type's own values show, the typed client id stays, and the saved provider has the chosen type's settings", async () => {
      const form = formOf(await admin(['provider', 'add']));
      const expectPreset = (name: string, urls: Record<string, string>) => {
        const preset = getPreset(name as never);
        assert.equal(form.shown('id'), name);
        assert.equal(form.shown('display_name'), preset.label);
        assert.equal(form.shown('scopes'), preset.defaults.scopes.join(' '), `${name} scopes`);
        assert.equal(form.shown('auth'), preset.defaults.token_endpoint_auth_method, `${name} auth`);
        assert.equal(form.shown('params'), '');
        for (const [field, value] of Object.entries(urls)) assert.equal(form.shown(field), value, `${name} ${field}`);
        assert.equal(form.shown('client_id'), 'typed-client', 'the typed client id stays');
      };
      await form.fill({ client_id: 'typed-client', preset: 'github' });
      await form.fill({ id: 'gh-corp', display_name: 'Corp GitHub', base_url: 'https://ghe.example.com', scopes: 'repo', params: 'allow_signup=false' });
      await form.fill({ preset: 'oidc' });
      expectPreset('oidc', { issuer: '' });
      assert.equal(form.shown('base_url'), undefined);
      await form.fill({ issuer: host.provider.issuer, scopes: 'openid', auth: 'none' });
      await form.fill({ preset: 'mattermost' });
      expectPreset('mattermost', { base_url: '' });
      await form.fill({ preset: 'github' });
      expectPreset('github', { base_url: 'https://github.com' });
      await form.fill({ preset: 'oidc' });
      expectPreset('oidc', { issuer: '' });
      const client = host.provider.clients.basic;
      await form.fill({
        id: 'switched',
        display_name: 'Switched IdP',
        issuer: host.provider.issuer,
        client_id: client.client_id,
        client_secret: client.client_secret!,
      });
      const saved = await form.submit();
      assert.equal(saved.kind, 'text', saved.text);
      const listed = (await say(host, host.admin, ['provider', 'list'])).split('\n').find((l) => l.includes('`switched`'));
      assert.match(listed ?? '', /oidc, http.*secret set \(client_secret_basic\); scopes `openid profile email offline_access`/);
      assert.equal((await admin(['provider', 'remove'], { provider: 'switched', confirm: true })).kind, 'text');
    });

    it('when an admin lists and tests providers, then settings show without secrets and the checks pass', async () => {
      const list = await say(host, host.admin, ['provider', 'list']);
      assert.match(list, /Test IdP.*oidc/);
      assert.doesNotMatch(list, new RegExp(host.provider.clients.basic.client_secret!));
      assert.match(await say(host, host.admin, ['provider', 'test'], { provider: PROVIDER_ID }), /all checks passed/);
    });

    it('when an admin edits a provider and leaves the secret empty, then the change shows and the secret is kept', async () => {
      const form = formOf(await admin(['provider', 'edit'], { provider: PROVIDER_ID }));
      assert.equal(form.shown('display_name'), 'Test IdP');
      assert.equal(form.shown('client_secret'), '', 'the stored secret is not shown');
      await form.fill({ display_name: 'Renamed IdP' });
      const saved = await form.submit();
      assert.equal(saved.kind, 'text', saved.text);
      assert.match(await say(host, erin, ['providers']), /Renamed IdP/);
      assert.match(await say(host, erin, ['whoami'], { provider: PROVIDER_ID }), /you are \*\*erin\*\*/);
    });

    it('when an admin registers a provider by dynamic registration, then users connect with the new client', async () => {
      const answer = await admin(['provider', 'register'], {
        preset: 'oidc',
        id: 'dyn',
        display_name: 'Dynamic IdP',
        issuer: host.provider.issuer,
        auth: 'client_secret_basic',
        scopes: 'openid profile email',
      });
      assert.equal(answer.kind, 'text', answer.text);
      assert.equal(host.provider.counters.registration, 1);
      assert.ok((await connectUser(host, erin, 'erin-dyn', 'dyn')).completed);
      assert.match(await say(host, erin, ['status']), /\(`dyn`\): connected as \*\*erin-dyn\*\*/);
    });

    it('when an admin removes a provider, then confirmation is asked and its users can no longer use it', async () => {
      const unconfirmed = await admin(['provider', 'remove'], { provider: PROVIDER_ID });
      assert.ok(unconfirmed.kind === 'form' || /Confirm with/.test(unconfirmed.text), `a confirmation is asked: ${unconfirmed.text}`);
      assert.match(await say(host, erin, ['providers']), /Renamed IdP/, 'nothing was removed unconfirmed');
      assert.equal((await admin(['provider', 'remove'], { provider: PROVIDER_ID, confirm: true })).kind, 'text');
      assert.doesNotMatch(await say(host, erin, ['status']), /`idp`/);
    });

    it('when the removed provider is registered again, then the old connection is not used: the user must reconnect', async () => {
      await registerTestProvider(host);
      // The Apps host keeps the connection and marks it broken; the standalone host removed it with the provider.
      assert.match(await say(host, erin, ['status']), /\(`idp`\): (not connected|:warning: needs reconnecting \(the provider was registered again)/);
      assert.doesNotMatch(await say(host, erin, ['whoami'], { provider: PROVIDER_ID }), /you are \*\*erin\*\*/);
    });
  });
}
