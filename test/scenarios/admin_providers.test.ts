import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_EXPAND } from '../../src/apps/expand.js';
import type { Form } from '../../src/apps/types.js';
import type { PanelData } from '../../src/apps/panel_types.js';
import type { ScenarioUser } from './backend.js';
import { findCommand, formValues, runCommand, textOf } from './commands.js';
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

  it('when the add form is opened, then it shows the exact redirect URI, and choosing a preset refreshes its fields', async () => {
    const add = findCommand(await world.backend.bindings(world.backend.admin), ['provider', 'add'])!;
    const first = await world.backend.call(world.backend.admin, { ...add.form!.source! } as never);
    assert.equal(first.type, 'form');
    const form = (first as { form: Form }).form;
    assert.ok(form.fields!.some((f) => f.type === 'markdown' && f.description?.includes(world.completeUrl)));
    assert.ok(form.fields!.find((f) => f.name === 'client_secret')?.subtype === 'password');
    const refreshed = await world.backend.call(world.backend.admin, { ...form.source!, values: formValues(form, { preset: 'github' }), selected_field: 'preset' } as never);
    const labels = (refreshed as { form: Form }).form.fields!.map((f) => f.modal_label);
    assert.ok(labels.includes('GitHub Enterprise Server URL'), JSON.stringify(labels));
  });

  it('when an admin lists and tests providers, then settings show without secrets and the checks pass', async () => {
    const list = textOf(await admin(['provider', 'list']));
    assert.match(list, /Test IdP.*oidc/);
    assert.doesNotMatch(list, new RegExp(world.provider.clients.basic.client_secret!));
    assert.match(textOf(await admin(['provider', 'test'], { provider: PROVIDER_ID })), /all checks passed/);
  });

  it('when an admin edits a provider and leaves the secret empty, then the change shows and the secret is kept', async () => {
    const form = await admin(['provider', 'edit'], { provider: PROVIDER_ID });
    assert.equal(form.type, 'form', textOf(form));
    const f = (form as { form: Form }).form;
    assert.equal(f.fields!.find((x) => x.name === 'display_name')?.value, 'Test IdP');
    assert.equal(f.fields!.find((x) => x.name === 'client_secret')?.value, undefined);
    const saved = await world.backend.call(world.backend.admin, { ...f.submit!, values: formValues(f, { display_name: 'Renamed IdP' }) } as never);
    assert.equal(saved.type, 'ok', textOf(saved));
    assert.match(await asErin(['providers']), /Renamed IdP/);
    assert.match(await asErin(['whoami'], { provider: PROVIDER_ID }), /you are \*\*erin\*\*/);
  });

  it('when an admin registers a provider by dynamic registration, then users connect with the new client', async () => {
    const answer = await admin(['provider', 'register'], { preset: 'oidc', id: 'dyn', display_name: 'Dynamic IdP', issuer: world.provider.issuer, auth: 'client_secret_basic', scopes: 'openid profile email' });
    assert.equal(answer.type, 'ok', textOf(answer));
    assert.equal(world.provider.counters.registration, 1);
    assert.equal((await (await connectUntilRedirect(world, erin, 'erin-dyn', 'dyn')).complete()).status, 200);
    assert.match(await asErin(['status']), /\(`dyn`\): connected as \*\*erin-dyn\*\*/);
  });

  it('when the webapp asks for the panel, then it gets each provider with the user\'s state', async () => {
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
