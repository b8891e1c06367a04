/** Texts people read: each says which rule failed, counts agree with their nouns, provider values show as typed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { removeProvider } from '../../../src/core/admin/provider_changes.js';
import { readProviderInput } from '../../../src/core/admin/provider_input.js';
import { toStored } from '../../../src/core/admin/provider_secrets.js';
import type { UserFacingError } from '../../../src/core/errors.js';
import { codeSpan } from '../../../src/core/format.js';
import { OIDC, setup } from './admin_setup.js';

describe('messages', () => {
  it('when a typed value breaks a rule, then the message names the field and the rule, not only the field', () => {
    assert.throws(
      () => readProviderInput({ preset: 'oidc', id: 'x', display_name: '', issuer: 'https://op.example', client_id: 'c', client_secret: 's' }),
      (err: UserFacingError) => {
        assert.equal(err.message, 'Please correct display_name: Give a display name of 1-64 characters.');
        return true;
      },
    );
  });

  it('when a provider with one connected user is removed, then the answer speaks of 1 connection in the singular', async () => {
    const { providers, connections, deps, request } = setup();
    await providers.save(toStored(OIDC, deps));
    await connections.save({
      user_id: 'u2',
      provider_id: 'idp',
      connection: { label: 'ana', sub: 'a', since: 1 },
      tokens: { access_token: 'at', token_type: 'bearer', obtained_at: 1 },
      origin: 'https://elsewhere.example',
    });
    // A host that can read every user's tokens (the standalone host's storage) lists a provider's connections.
    Object.assign(connections, {
      ofProvider: async (id: string) => ({ rows: [...connections.rows.values()].filter((r) => r.provider_id === id), unreadable: 0 }),
    });
    const answer = await removeProvider(request({ provider: 'idp', confirm: 'true' }), deps);
    assert.match(answer.text ?? '', /Its 1 connection was deleted; its tokens are being revoked/);
  });

  it('when a provider value goes in a code span, then it shows as the provider sent it: no backslashes, and a backtick cannot end the span', () => {
    assert.equal(codeSpan('user_name*1'), '`user_name*1`');
    assert.equal(codeSpan('a`b\nc'), "`a'b c`");
  });
});
