/** @jsxRuntime automatic */
import './setup.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { AppForm, CallRequest } from '../../../webapp/wire_types.js';
import { fakeCallEndpoint, panelData, renderPanel, type Answer } from './helpers.js';

const SUBMIT = { path: '/provider/add', expand: { acting_user: 'summary', acting_user_access_token: 'all' } } as const;
const SOURCE = { path: '/provider/add/form', expand: { acting_user: 'summary' } } as const;

function addForm(preset?: string): AppForm {
  const presetOption = preset ? { label: preset === 'oidc' ? 'Generic OIDC' : 'GitHub', value: preset } : undefined;
  return {
    title: 'Add an OAuth2 provider',
    header: 'Register the app at the provider first.',
    submit: SUBMIT,
    source: SOURCE,
    fields: [
      {
        name: 'preset',
        type: 'static_select',
        modal_label: 'Preset',
        is_required: true,
        refresh: true,
        value: presetOption ?? null,
        options: [
          { label: 'GitHub', value: 'github' },
          { label: 'Generic OIDC', value: 'oidc' },
        ],
      },
      { name: 'help', type: 'markdown', description: 'Use the **redirect URI** shown below.' },
      { name: 'client_id', type: 'text', modal_label: 'Client ID', is_required: true },
      { name: 'client_secret', type: 'text', subtype: 'password', modal_label: 'Client secret', is_required: true },
      { name: 'pkce', type: 'bool', modal_label: 'Use PKCE', value: false },
      ...(preset === 'oidc' ? [{ name: 'issuer', type: 'text' as const, modal_label: 'Issuer URL', is_required: true }] : []),
    ],
  };
}

function adminEndpoint(submitAnswers: Answer[]) {
  return fakeCallEndpoint((body: CallRequest) => {
    if (body.path === '/panel') return { json: { type: 'ok', data: panelData({ is_admin: true }) } };
    if (body.path === '/provider/add/form') {
      const preset = (body.values.preset as { value?: string } | null)?.value;
      return { json: { type: 'form', form: addForm(body.selected_field ? preset : undefined) } };
    }
    return submitAnswers.shift() ?? { json: { type: 'ok', text: 'Added.' } };
  });
}

const field = (label: RegExp) => screen.getByLabelText(label) as HTMLInputElement;

async function openForm() {
  fireEvent.click(await screen.findByRole('button', { name: 'Add a provider' }));
  await screen.findByRole('dialog', { name: 'Add an OAuth2 provider' });
  await screen.findByLabelText(/Client ID/);
}

describe('Add a provider modal', () => {
  test('when an admin opens it, then the App form is fetched and its fields rendered', async () => {
    const endpoint = adminEndpoint([]);
    renderPanel();
    await openForm();
    const formCall = endpoint.calls.find((c) => c.body.path === '/provider/add/form')!;
    assert.deepEqual(formCall.body.expand, { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' });
    assert.equal(field(/Client secret/).type, 'password');
    assert.equal(field(/Use PKCE/).type, 'checkbox');
    assert.equal(field(/Preset/).tagName, 'SELECT');
    assert.ok(screen.getByText('Use the **redirect URI** shown below.'), 'markdown shows as text without the host renderer');
    assert.equal(document.activeElement, field(/Preset/), 'focus lands in the first field');
  });

  test('when a refresh field changes, then the form source is called with selected_field and the new form shown', async () => {
    const endpoint = adminEndpoint([]);
    renderPanel();
    await openForm();
    fireEvent.change(field(/Client ID/), { target: { value: 'abc' } });
    fireEvent.change(field(/Preset/), { target: { value: 'oidc' } });
    await screen.findByLabelText(/Issuer URL/);
    const refresh = endpoint.calls.filter((c) => c.body.path === '/provider/add/form')[1]!;
    assert.equal(refresh.body.selected_field, 'preset');
    assert.deepEqual(refresh.body.values.preset, { label: 'Generic OIDC', value: 'oidc' });
    assert.equal(field(/Client ID/).value, 'abc', 'entered values survive the refresh');
  });

  test('when required fields are empty, then nothing is sent and the fields are marked', async () => {
    const endpoint = adminEndpoint([]);
    renderPanel();
    await openForm();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    assert.equal((await screen.findAllByText('This field is required.')).length, 3);
    assert.equal(
      endpoint.calls.some((c) => c.body.path === '/provider/add'),
      false,
    );
  });

  test('when submitted, then values go to form.submit; field errors show; success closes and reloads', async () => {
    const endpoint = adminEndpoint([{ json: { type: 'error', text: 'Check the client.', data: { errors: { client_id: 'Unknown client.' } } } }]);
    renderPanel();
    await openForm();
    fireEvent.change(field(/Preset/), { target: { value: 'github' } });
    await waitFor(() => assert.equal(field(/Preset/).value, 'github'));
    fireEvent.change(field(/Client ID/), { target: { value: 'cid' } });
    fireEvent.change(field(/Client secret/), { target: { value: 's3cret' } });
    fireEvent.click(field(/Use PKCE/));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await screen.findByText('Unknown client.');
    assert.ok(screen.getByText('Check the client.'));
    const submit = endpoint.calls.find((c) => c.body.path === '/provider/add')!;
    assert.deepEqual(submit.body.expand, SUBMIT.expand);
    assert.deepEqual(submit.body.values, {
      preset: { label: 'GitHub', value: 'github' },
      client_id: 'cid',
      client_secret: 's3cret',
      pkce: true,
    });

    const panelLoads = endpoint.paths().filter((p) => p === '/panel').length;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Added.');
    // The modal closes as the panel re-renders: on a loaded machine that can come a tick after the text.
    await waitFor(() => assert.equal(screen.queryByRole('dialog'), null));
    await waitFor(() => assert.equal(endpoint.paths().filter((p) => p === '/panel').length, panelLoads + 1));
  });

  test('when Escape is pressed, then the modal closes without a call', async () => {
    const endpoint = adminEndpoint([]);
    renderPanel();
    await openForm();
    const before = endpoint.calls.length;
    fireEvent.keyDown(document, { key: 'Escape' });
    assert.equal(screen.queryByRole('dialog'), null);
    assert.equal(endpoint.calls.length, before);
  });
});
