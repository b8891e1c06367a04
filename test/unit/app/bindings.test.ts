import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeBindings, type BindingInput } from '../../../src/hosts/apps/protocol/bindings.js';
import type { Binding } from '../../../src/hosts/apps/protocol/types.js';
import { MAX_RENDERED_BINDINGS, renderedBindings } from '../../../src/hosts/apps/calls/bindings.js';
import { bindingsResponse, serializedText } from '../../../src/hosts/apps/protocol/responses.js';

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
    assert.deepEqual(labels(base), ['connect', 'status', 'providers', 'help', 'grants']);
    const connect = base.bindings!.find((b) => b.label === 'connect')!;
    assert.deepEqual(
      connect.form!.fields![0]!.options!.map((o) => o.value),
      ['github', 'corp'],
    );
  });

  it('when a user is connected to one provider, then connect offers the other and disconnect/whoami the connected one', () => {
    const base = commands({ isAdmin: false, providers, connections: { github: {} } });
    assert.deepEqual(labels(base), ['connect', 'disconnect', 'whoami', 'status', 'providers', 'help', 'grants']);
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

  it('when two calls are in the same state, then they share one answer, serialized once, equal to the computed bindings', () => {
    const first = renderedBindings({ isAdmin: false, providers: providers.map((p) => ({ ...p })), connections: { github: { broken: '' } } });
    const second = renderedBindings({ isAdmin: false, providers, connections: { github: {}, unknown: { broken: 'x' } } });
    assert.equal(first, second);
    assert.ok(Object.isFrozen(first) && Object.isFrozen((first as { data: Binding[] }).data[0]!.bindings![0]!.bindings), 'frozen all the way down');
    assert.equal(serializedText(first), JSON.stringify(bindingsResponse(computeBindings({ isAdmin: false, providers, connections: { github: {} } }))));
  });

  it("when anything the bindings show differs (admin, a name, connected, broken), then the answer is that state's own", () => {
    const states: BindingInput[] = [
      { isAdmin: false, providers, connections: {} },
      { isAdmin: true, providers, connections: {} },
      { isAdmin: false, providers: [providers[0]!, { id: 'corp', display_name: 'Corp' }], connections: {} },
      { isAdmin: false, providers, connections: { corp: {} } },
      { isAdmin: false, providers, connections: { corp: { broken: 'revoked' } } },
      // A name that spells the key of two providers is still one provider.
      {
        isAdmin: false,
        providers: [
          { id: 'a', display_name: 'b' },
          { id: 'c', display_name: 'd' },
        ],
        connections: {},
      },
      { isAdmin: false, providers: [{ id: 'a', display_name: 'b\n01:c1:d' }], connections: {} },
    ];
    const answers = states.map(renderedBindings);
    assert.equal(new Set(answers).size, states.length);
    states.forEach((input, i) => assert.equal(serializedText(answers[i]!), JSON.stringify(bindingsResponse(computeBindings(input)))));
  });

  it('when more states than the bound were seen, then the oldest is rendered again (the cache stays bounded)', () => {
    const input = (n: number): BindingInput => ({ isAdmin: false, providers: [{ id: `p${n}`, display_name: `P ${n}` }], connections: {} });
    const oldest = renderedBindings(input(-1));
    for (let n = 0; n < MAX_RENDERED_BINDINGS; n += 1) renderedBindings(input(n));
    const again = renderedBindings(input(-1));
    assert.notEqual(again, oldest);
    assert.equal(serializedText(again), serializedText(oldest));
  });
});
