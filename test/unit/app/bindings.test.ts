import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeBindings, type BindingInput } from '../../../src/hosts/apps/protocol/bindings.js';
import type { Binding } from '../../../src/hosts/apps/protocol/types.js';

const providers = [
  { id: 'github', display_name: 'GitHub' },
  { id: 'corp', display_name: 'Corp SSO' },
];
const commands = (input: BindingInput) => computeBindings(input).find((b) => b.location === '/command')!.bindings![0]!;
const labels = (b: Binding) => (b.bindings ?? []).map((x) => x.label);

function walk(bindings: Binding[], visit: (b: Binding) => void): void {
  for (const b of bindings) {
    visit(b);
    walk(b.bindings ?? [], visit);
  }
}

describe('bindings', () => {
  it('when a user has no connection, then connect is offered with every provider and disconnect is not', () => {
    const base = commands({ isAdmin: false, providers, connections: {} });
    assert.equal(base.label, 'oauth2');
    assert.deepEqual(labels(base), ['connect', 'status', 'providers', 'help']);
    const connect = base.bindings!.find((b) => b.label === 'connect')!;
    assert.deepEqual(
      connect.form!.fields![0]!.options!.map((o) => o.value),
      ['github', 'corp'],
    );
  });

  it('when a user is connected to one provider, then connect offers the other and disconnect/whoami the connected one', () => {
    const base = commands({ isAdmin: false, providers, connections: { github: {} } });
    assert.deepEqual(labels(base), ['connect', 'disconnect', 'whoami', 'status', 'providers', 'help']);
    const options = (label: string) => base.bindings!.find((b) => b.label === label)!.form!.fields![0]!.options!.map((o) => o.value);
    assert.deepEqual(options('connect'), ['corp']);
    assert.deepEqual(options('disconnect'), ['github']);
  });

  it('when a connection is broken, then it is offered for connect again', () => {
    const base = commands({ isAdmin: false, providers, connections: { github: { broken: 'revoked' }, corp: {} } });
    assert.deepEqual(
      base.bindings!.find((b) => b.label === 'connect')!.form!.fields![0]!.options!.map((o) => o.value),
      ['github'],
    );
  });

  it('when there is exactly one candidate, then the provider argument is optional and preset', () => {
    const base = commands({ isAdmin: false, providers: [providers[0]!], connections: {} });
    const field = base.bindings!.find((b) => b.label === 'connect')!.form!.fields![0]!;
    assert.equal(field.is_required, false);
    assert.deepEqual(field.value, { label: 'GitHub', value: 'github' });
  });

  it('when the caller is not an admin, then no admin binding is present; when admin, provider and report are', () => {
    assert.ok(!labels(commands({ isAdmin: false, providers, connections: {} })).includes('provider'));
    const admin = commands({ isAdmin: true, providers, connections: {} });
    assert.ok(labels(admin).includes('provider') && labels(admin).includes('report'));
    assert.deepEqual(labels(admin.bindings!.find((b) => b.label === 'provider')!), ['add', 'register', 'list', 'edit', 'remove', 'test']);
  });

  it('then every binding follows the protocol: one-word labels, submit not call, one action, icons on the channel header, no "none" expand', () => {
    const all = computeBindings({ isAdmin: true, providers, connections: { github: {} } });
    walk(all, (b) => {
      const actions = [b.submit, b.form, b.bindings].filter((x) => x !== undefined).length;
      if (b.location?.startsWith('/')) return;
      assert.equal(actions, 1, `${b.label} has exactly one of submit, form, bindings`);
      assert.ok(!('call' in b));
      assert.ok(!JSON.stringify(b).includes('"none"'));
    });
    for (const b of all.find((x) => x.location === '/command')!.bindings![0]!.bindings!) assert.match(b.label!, /^[a-z]+$/);
    for (const b of all.find((x) => x.location === '/channel_header')!.bindings!) assert.ok(b.icon);
  });
});

describe('provider options', () => {
  it('when two providers share a display name, then their labels are told apart by id (the plugin drops repeated labels)', async () => {
    const { providerOptions } = await import('../../../src/hosts/apps/protocol/provider_options.js');
    const labels = providerOptions([
      { id: 'a', display_name: 'Corp' },
      { id: 'b', display_name: 'corp' },
      { id: 'c', display_name: 'Other' },
    ]).map((o) => o.label);
    assert.deepEqual(labels, ['Corp (a)', 'corp (b)', 'Other']);
    assert.equal(new Set(labels).size, labels.length);
  });
});
