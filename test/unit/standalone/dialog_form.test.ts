import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { providerFormSpec } from '../../../src/core/admin/provider_form.js';
import type { FormSpec } from '../../../src/core/form_spec.js';
import { fitBytes, formSpecDialog } from '../../../src/hosts/standalone/admin/dialog_form.js';
import { listPresets } from '../../../packages/engine/src/providers/index.js';

const host = { redirectUri: (id: string) => `https://svc.example/standalone/complete/${id}` };

describe('FormSpec as an interactive dialog', () => {
  it('when a text is longer than its byte limit, then it is cut on a character boundary with an ellipsis', () => {
    assert.equal(fitBytes('short', 24), 'short');
    const cut = fitBytes('ééééééééééééééééééééé', 24); // 2 bytes each
    assert.ok(Buffer.byteLength(cut) <= 24);
    assert.ok(cut.endsWith('…') && !cut.includes('\uFFFD'));
  });

  it('when every preset form is rendered, then titles, display names, help texts and defaults fit the dialog limits', () => {
    for (const preset of listPresets()) {
      for (const mode of ['add', 'register'] as const) {
        const spec = providerFormSpec({ values: { preset: preset.name }, host, mode });
        const dialog = formSpecDialog(spec, 'https://svc.example/standalone/dialog');
        assert.ok(Buffer.byteLength(dialog.title) <= 24, dialog.title);
        for (const e of dialog.elements ?? []) {
          assert.ok(Buffer.byteLength(e.display_name) <= 24, `${preset.name} ${e.name}: ${e.display_name}`);
          assert.ok(Buffer.byteLength(e.help_text ?? '') <= 150, `${preset.name} ${e.name} help`);
          assert.ok(Buffer.byteLength(String(e.default ?? '')) <= 150);
        }
        assert.equal(dialog.source_url, 'https://svc.example/standalone/dialog');
        assert.equal(dialog.elements?.find((e) => e.name === 'preset')?.refresh, true);
      }
    }
  });

  it('when the form has a secret, a markdown note and read-only fields, then the secret is a password never prefilled, the note the introduction, read-only fields left out', () => {
    const spec: FormSpec = {
      title: 'Edit',
      purpose: 'provider.edit',
      target: 'x',
      fields: [
        { name: 'redirect', type: 'markdown', label: 'R', help: 'Register `https://a/b`' },
        { name: 'id', type: 'text', label: 'Short name', readonly: true, value: 'x' },
        { name: 'client_secret', type: 'password', label: 'Client secret', value: 'never-shown' },
        { name: 'issuer', type: 'url', label: 'Issuer URL', required: true, value: 'https://idp' },
        { name: 'ok', type: 'bool', label: 'Confirm', value: true },
      ],
    };
    const dialog = formSpecDialog(spec, 'u');
    assert.equal(dialog.introduction_text, 'Register `https://a/b`');
    assert.deepEqual(
      dialog.elements?.map((e) => [e.name, e.type, e.subtype, e.default, e.optional]),
      [
        ['client_secret', 'text', 'password', undefined, true],
        ['issuer', 'text', 'url', 'https://idp', false],
        ['ok', 'bool', undefined, 'true', true],
      ],
    );
    assert.equal(dialog.source_url, undefined);
    assert.ok(!JSON.stringify(dialog).includes('never-shown'));
  });
});
