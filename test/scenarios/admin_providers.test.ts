import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_EXPAND } from '../../src/hosts/apps/protocol/expand.js';
import type { Form } from '../../src/hosts/apps/protocol/types.js';
import type { PanelData } from '../../src/hosts/apps/protocol/panel_types.js';
import type { ScenarioUser } from './backend.js';
import { getPreset } from '../../src/oauth/providers/index.js';
import { openModal, runCommand, textOf, typeCommand } from './commands.js';
import { connectUntilRedirect, PROVIDER_ID, registerTestProvider } from './steps.js';
import { startWorld, type World } from './world.js';

let world: World;
let erin: ScenarioUser;
const ADMIN_EXPAND = { ...CALL_EXPAND };

const admin = (words: string[], values: Record<string, unknown> = {}) => runCommand(world.backend, world.backend.admin, words, values);
const asErin = async (words: string[], values: Record<string, unknown> = {}) => textOf(await runCommand(world.backend, erin, words, values));

describe(`admins manage providers (${process.env.SCENARIO_BACKEND ?? 'fake'} backend)`, () => {
  before(async () => {
    world = await startWorld();
    erin = await world.backend.createUser(`erin${Date.now() % 100000}`);
    const r = await registerTestProvider(world);
    assert.equal(r.type, 'ok', textOf(r));
    assert.equal((await (await connectUntilRedirect(world, erin, 'erin')).complete()).status, 200);
  });
  after(() => world?.close());

  it('when an admin types /oauth2 provider add, then the modal shows the exact redirect URI, and choosing a preset refreshes its fields', async () => {
    const typed = await typeCommand(world.backend, world.backend.admin, '/oauth2 provider add');
    assert.equal(typed.kind, 'modal', JSON.stringify(typed));
    const modal = openModal(world.backend, world.backend.admin, (typed as { form: Form }).form);
    assert.ok(modal.form.fields!.some((f) => f.type === 'markdown' && f.description?.includes(world.completeUrl)));
    assert.equal(modal.field('client_secret')?.subtype, 'password');
    await modal.set('preset', 'github');
    const labels = modal.form.fields!.map((f) => f.modal_label);
    assert.ok(labels.includes('GitHub Enterprise Server URL'), JSON.stringify(labels));
  });

  it("when an admin switches Provider type github -> oidc -> mattermost, then each type's own values show, the typed client id stays, and the saved provider has the chosen type's settings", async () => {
    const typed = await typeCommand(world.backend, world.backend.admin, '/oauth2 provider add');
    const modal = openModal(world.backend, world.backend.admin, (typed as { form: Form }).form);
    const shown = (name: string) => modal.shown(name) ?? '';
    const expectPreset = (name: string, urls: Record<string, string>) => {
      const preset = getPreset(name as never);
      assert.equal(shown('id'), name);
      assert.equal(shown('display_name'), preset.label);
      assert.equal(shown('scopes'), preset.defaults.scopes.join(' '), `${name} scopes`);
      assert.equal(shown('auth'), preset.defaults.token_endpoint_auth_method, `${name} auth`);
      assert.equal(shown('params'), '');
      for (const [field, value] of Object.entries(urls)) assert.equal(shown(field), value, `${name} ${field}`);
      assert.equal(shown('client_id'), 'typed-client', 'the typed client id stays');
    };
    await modal.set('client_id', 'typed-client');
    await modal.set('preset', 'github');
    await modal.fill({ id: 'gh-corp', display_name: 'Corp GitHub', base_url: 'https://ghe.example.com', scopes: 'repo', params: 'allow_signup=false' });
    await modal.set('preset', 'oidc');
    expectPreset('oidc', { issuer: '' });
    assert.equal(modal.field('base_url'), undefined);
    await modal.fill({ issuer: world.provider.issuer, scopes: 'openid', auth: 'none' });
    await modal.set('preset', 'mattermost');
    expectPreset('mattermost', { base_url: '' });
    await modal.set('preset', 'github');
    expectPreset('github', { base_url: 'https://github.com' });
    await modal.set('preset', 'oidc');
    expectPreset('oidc', { issuer: '' });
    const client = world.provider.clients.basic;
    await modal.fill({
      id: 'switched',
      display_name: 'Switched IdP',
      issuer: world.provider.issuer,
      client_id: client.client_id,
      client_secret: client.client_secret!,
    });
    const saved = await modal.submit();
    assert.equal(saved.type, 'ok', textOf(saved));
    const listed = textOf(await admin(['provider', 'list']))
      .split('\n')
      .find((l) => l.includes('`switched`'));
    assert.match(listed ?? '', /oidc, http.*secret set \(client_secret_basic\); scopes `openid profile email offline_access`/);
    assert.equal((await admin(['provider', 'remove'], { provider: 'switched', confirm: true })).type, 'ok');
  });

  it('when an admin lists and tests providers, then settings show without secrets and the checks pass', async () => {
    const list = textOf(await admin(['provider', 'list']));
    assert.match(list, /Test IdP.*oidc/);
    assert.doesNotMatch(list, new RegExp(world.provider.clients.basic.client_secret!));
    assert.match(textOf(await admin(['provider', 'test'], { provider: PROVIDER_ID })), /all checks passed/);
  });

  it('when an admin edits a provider and leaves the secret empty, then the change shows and the secret is kept', async () => {
    const typed = await typeCommand(world.backend, world.backend.admin, `/oauth2 provider edit ${PROVIDER_ID}`);
    assert.equal(typed.kind, 'modal', JSON.stringify(typed));
    const modal = openModal(world.backend, world.backend.admin, (typed as { form: Form }).form);
    assert.equal(modal.shown('display_name'), 'Test IdP');
    assert.equal(modal.field('client_secret')?.value, undefined);
    await modal.set('display_name', 'Renamed IdP');
    const saved = await modal.submit();
    assert.equal(saved.type, 'ok', textOf(saved));
    assert.match(await asErin(['providers']), /Renamed IdP/);
    assert.match(await asErin(['whoami'], { provider: PROVIDER_ID }), /you are \*\*erin\*\*/);
  });

  it('when an admin registers a provider by dynamic registration, then users connect with the new client', async () => {
    const answer = await admin(['provider', 'register'], {
      preset: 'oidc',
      id: 'dyn',
      display_name: 'Dynamic IdP',
      issuer: world.provider.issuer,
      auth: 'client_secret_basic',
      scopes: 'openid profile email',
    });
    assert.equal(answer.type, 'ok', textOf(answer));
    assert.equal(world.provider.counters.registration, 1);
    assert.equal((await (await connectUntilRedirect(world, erin, 'erin-dyn', 'dyn')).complete()).status, 200);
    assert.match(await asErin(['status']), /\(`dyn`\): connected as \*\*erin-dyn\*\*/);
  });

  it("when the webapp asks for the panel, then it gets each provider with the user's state", async () => {
    const answer = await world.backend.call(erin, { path: '/panel', expand: ADMIN_EXPAND });
    const data = (answer as { data: PanelData }).data;
    assert.equal(data.is_admin, false);
    const idp = data.providers.find((p) => p.id === PROVIDER_ID)!;
    assert.equal(idp.connected, true);
    assert.equal(idp.account_label, 'erin');
    assert.ok(idp.expires_at! > Date.now());
  });

  it('when an admin removes a provider, then confirmation is asked, its users can no longer use it, and re-adding needs a reconnect', async () => {
    const unconfirmed = await admin(['provider', 'remove'], { provider: PROVIDER_ID });
    assert.match(textOf(unconfirmed), /Confirm with/);
    assert.equal((await admin(['provider', 'remove'], { provider: PROVIDER_ID, confirm: true })).type, 'ok');
    const who = await world.backend.call(erin, { path: '/whoami', expand: ADMIN_EXPAND, values: { provider: { label: 'x', value: PROVIDER_ID } } });
    assert.match(textOf(who), /not registered/);
    const r = await registerTestProvider(world);
    assert.equal(r.type, 'ok', textOf(r));
    assert.match(await asErin(['status']), /\(`idp`\): :warning: needs reconnecting \(the provider was registered again/);
  });
});
