import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readProviders } from '../../../src/core/provider_records.js';
import { readUserState } from '../../../src/hosts/apps/store/user_state.js';

const provider = { id: 'gh', display_name: 'GitHub', preset: 'github', client_id: 'c', auth: 'none', scopes: ['read'], created_at: 0, updated_at: 0 };

describe('stored records', () => {
  it('when a provider record has a field of the wrong type, then that provider is left out and the others kept', () => {
    const data = {
      v: 1,
      providers: [provider, { ...provider, id: 'bad-issuer', issuer: 42 }, { ...provider, id: 'bad-scopes', scopes: [1] }, { ...provider, id: 'BAD' }],
    };
    assert.deepEqual(
      readProviders(data).map((p) => p.id),
      ['gh'],
    );
  });

  it('when a provider record carries fields this version does not know, then they are kept', () => {
    assert.equal(Object.entries(readProviders({ providers: [{ ...provider, future: 'x' }] })[0]!).find(([key]) => key === 'future')?.[1], 'x');
  });

  it('when the user summary has malformed entries, then only those are left out', () => {
    const state = readUserState({
      v: 1,
      connections: { gh: { label: 'me', sub: '1', since: 1 }, gl: { label: 'me', sub: '1', since: '1' }, ms: { label: 'me', sub: '1', since: 1, broken: 7 } },
      flows: [{ h: 'x', p: 'gh', at: 1 }, { h: 'y', p: 3, at: 1 }, null],
      pending: { p: 'gh', at: 'now' },
      dm: 'c1',
    });
    assert.deepEqual(Object.keys(state.connections), ['gh']);
    assert.deepEqual(state.flows, [{ h: 'x', p: 'gh', at: 1 }]);
    assert.equal(state.pending, undefined);
    assert.equal(state.dm, 'c1');
  });

  it('when the summary is not version 1, then it reads as empty', () => {
    assert.deepEqual(readUserState({ v: 2, connections: { gh: { label: 'me', sub: '1', since: 1 } } }), { v: 1, connections: {}, flows: [] });
  });
});
