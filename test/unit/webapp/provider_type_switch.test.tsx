/** @jsxRuntime automatic */
// The admin's "Add a provider" modal against the App's real provider form
// (src/core/admin/provider_form.ts rendered by the Apps host answers each form call): switching
// "Provider type" shows the new type's values, not the previous type's.
import './setup.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { CallPath } from '../../../src/hosts/apps/protocol/paths.js';
import { form } from '../../../src/hosts/apps/protocol/responses.js';
import type { CallRequest as AppCallRequest } from '../../../src/hosts/apps/protocol/types.js';
import { providerFormSpec } from '../../../src/core/admin/provider_form.js';
import { coreValues } from '../../../src/hosts/apps/calls/admin/apps_core.js';
import { appsForm } from '../../../src/hosts/apps/calls/admin/apps_form.js';
import { refreshOf } from '../../../src/hosts/apps/calls/admin/provider_handlers.js';
import { providerRedirectUri } from '../../../src/hosts/apps/calls/redirect_uri.js';
import { getPreset, listPresets } from '../../../packages/engine/src/providers/index.js';
import type { CallRequest } from '../../../webapp/wire_types.js';
import { fakeCallEndpoint, panelData, renderPanel, SITE_URL } from './helpers.js';

const COMPLETE_URL = `${SITE_URL}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete`;

function appEndpoint() {
  return fakeCallEndpoint((body: CallRequest) => {
    if (body.path === CallPath.panel) return { json: { type: 'ok', data: panelData({ is_admin: true }) } };
    if (body.path !== CallPath.providerAddForm) return { json: { type: 'error', text: `unexpected ${body.path}` } };
    const req = { ...body, context: { oauth2: { complete_url: COMPLETE_URL } } } as unknown as AppCallRequest;
    const host = { redirectUri: (id: string) => providerRedirectUri(COMPLETE_URL, id) };
    const spec = providerFormSpec({ values: coreValues(req), host, mode: 'add', refresh: refreshOf(req) });
    return { json: form(appsForm(spec, CallPath.providerAdd, CallPath.providerAddForm)) };
  });
}

const input = (label: RegExp) => screen.getByLabelText(label) as HTMLInputElement | HTMLSelectElement;

async function choose(type: string, waitForLabel: RegExp) {
  fireEvent.change(input(/Provider type/), { target: { value: type } });
  await screen.findByLabelText(waitForLabel);
  await waitFor(() => assert.equal(input(/Short name/).value, type));
}

function expectPresetValues(name: string) {
  const preset = getPreset(name as never);
  assert.equal(input(/Short name/).value, name);
  assert.equal(input(/Display name/).value, preset.label);
  assert.equal(input(/^Scopes/).value, preset.defaults.scopes.join(' '), `${name} scopes`);
  assert.equal(input(/Client authentication/).value, preset.defaults.token_endpoint_auth_method, `${name} auth`);
  assert.equal(input(/Extra authorize parameters/).value, '');
  assert.equal(input(/Client ID/).value, 'typed-client', 'the typed client id stays');
}

describe('Add a provider modal, switching the provider type', () => {
  test("when the admin switches github -> oidc -> mattermost, then each field shows the new type's value", async () => {
    const endpoint = appEndpoint();
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Add a provider' }));
    await screen.findByLabelText(/Client ID/);
    fireEvent.change(input(/Client ID/), { target: { value: 'typed-client' } });

    await choose('github', /GitHub Enterprise Server URL/);
    fireEvent.change(input(/Short name/), { target: { value: 'corp-gh' } });
    fireEvent.change(input(/Display name/), { target: { value: 'Corp GitHub' } });
    fireEvent.change(input(/GitHub Enterprise Server URL/), { target: { value: 'https://ghe.example.com' } });
    fireEvent.change(input(/^Scopes/), { target: { value: 'repo' } });

    await choose('oidc', /Issuer URL/);
    expectPresetValues('oidc');
    assert.equal(input(/Issuer URL/).value, '');
    assert.equal(screen.queryByLabelText(/GitHub Enterprise Server URL/), null);
    fireEvent.change(input(/Issuer URL/), { target: { value: 'https://idp.example.com' } });
    fireEvent.change(input(/Client authentication/), { target: { value: 'none' } });

    await choose('mattermost', /Mattermost site URL/);
    expectPresetValues('mattermost');
    assert.equal(input(/Mattermost site URL/).value, '');

    const refreshes = endpoint.calls.filter((c) => c.body.path === CallPath.providerAddForm && c.body.selected_field === 'preset');
    assert.equal(refreshes.length, 3);
    // Each refresh names the type the form showed, so the App can tell a real switch.
    assert.deepEqual(
      refreshes.map((c) => (c.body.state as { preset?: string }).preset),
      [listPresets()[0]!.name, 'github', 'oidc'],
    );
  });
});
