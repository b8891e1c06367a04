/**
 * The admin operations' audit entries, on both hosts the same: who, which
 * provider, how it ended; an edit by the names of the fields it changed; a
 * non-admin's attempt as refused; and never a client secret, neither in an
 * entry nor in its log line, even when an error message would quote one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAuditTrail } from '../../../src/core/audit.js';
import { audited } from '../../../src/core/admin/audited.js';
import { addProvider, editProvider, removeProvider } from '../../../src/core/admin/provider_changes.js';
import { UserFacingError } from '../../../src/core/errors.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { MemoryAuditStore } from '../../support/memory_audit_store.js';
import { setup } from './admin_setup.js';

const SECRET = 'split-secret-value-1';
const NEW_SECRET = 'split-secret-value-2';

/** A generic OAuth2 provider's form: nothing to discover, so nothing leaves the test. */
const FORM = {
  preset: 'oauth2',
  id: 'split',
  display_name: 'Split',
  endpoints_authorization_endpoint: 'https://www.split.example/authorize',
  endpoints_token_endpoint: 'https://api.split.example/token',
  client_id: 'split-client',
  client_secret: SECRET,
  auth: 'client_secret_basic',
  scopes: 'read',
};

function audit() {
  const world = setup();
  const logger = createMemoryLogger();
  const store = new MemoryAuditStore();
  const deps = { ...world.deps, audit: createAuditTrail({ logger, now: () => 1_800_000_000_000, store }) };
  const noSecret = () => {
    for (const text of [JSON.stringify(store.entries), ...logger.lines])
      for (const s of [SECRET, NEW_SECRET]) assert.ok(!text.includes(s), `a secret in: ${text}`);
  };
  return { ...world, deps, store, logger, noSecret };
}

describe('audited admin operations', () => {
  it('when an admin adds and then edits a provider with its client secret, then each is one entry and one log line, the edit naming its changed fields only', async () => {
    const w = audit();
    await audited('provider.add', addProvider)(w.request(FORM), w.deps);
    await audited('provider.edit', editProvider)(
      w.request({ ...FORM, provider: 'split', display_name: 'Split renamed', scopes: 'read write', client_secret: NEW_SECRET }),
      w.deps,
    );
    assert.deepEqual(w.store.entries, [
      { at: 1_800_000_000_000, actor_user_id: 'u1', action: 'provider.add', target: 'split', outcome: 'ok', detail: '' },
      {
        at: 1_800_000_000_000,
        actor_user_id: 'u1',
        action: 'provider.edit',
        target: 'split',
        outcome: 'ok',
        detail: 'changed: client_secret, display_name, scopes',
      },
    ]);
    const lines = w.logger.lines.filter((l) => l.includes('"msg":"audit"')).map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(
      lines.map((l) => [l.action, l.actor_user_id, l.target, l.outcome, l.detail]),
      [
        ['provider.add', 'u1', 'split', 'ok', ''],
        ['provider.edit', 'u1', 'split', 'ok', 'changed: client_secret, display_name, scopes'],
      ],
    );
    w.noSecret();
  });

  it("when an admin removes a provider where other users' rows cannot be read (as on the Apps host), then the entry says their tokens were left unusable; an unconfirmed removal is failed and removes nothing", async () => {
    const w = audit();
    await audited('provider.add', addProvider)(w.request(FORM), w.deps);
    await assert.rejects(audited('provider.remove', removeProvider)(w.request({ provider: 'split' }), w.deps), /Confirm/);
    assert.equal(w.store.entries.at(-1)?.outcome, 'failed');
    assert.equal((await w.providers.list()).length, 1);
    await audited('provider.remove', removeProvider)(w.request({ provider: 'split', confirm: true }), w.deps);
    assert.deepEqual(w.store.entries.at(-1), {
      at: 1_800_000_000_000,
      actor_user_id: 'u1',
      action: 'provider.remove',
      target: 'split',
      outcome: 'ok',
      detail: 'tokens left unusable',
    });
  });

  it('when an edit changes nothing but retypes the same secret, then it says so and the secret is not named as changed', async () => {
    const w = audit();
    await audited('provider.add', addProvider)(w.request(FORM), w.deps);
    await audited('provider.edit', editProvider)(w.request({ ...FORM, provider: 'split' }), w.deps);
    assert.equal(w.store.entries.at(-1)?.detail, 'changed: nothing');
    w.noSecret();
  });

  it('when a non-admin tries, then the attempt is kept as refused and the operation still refuses them', async () => {
    const w = audit();
    await assert.rejects(audited('provider.add', addProvider)(w.request(FORM, false), w.deps), /Only system admins/);
    assert.deepEqual(w.store.entries, [
      { at: 1_800_000_000_000, actor_user_id: 'u1', action: 'provider.add', target: 'split', outcome: 'refused', detail: 'not a system admin' },
    ]);
    assert.deepEqual(await w.providers.list(), []);
    w.noSecret();
  });

  it('when the input is refused, then the entry is failed with the message the admin read, any typed secret cut out of it', async () => {
    const w = audit();
    const quoting = async () => {
      throw new UserFacingError(`The client secret ${SECRET} was refused by the provider.`);
    };
    await assert.rejects(audited('provider.add', quoting)(w.request(FORM), w.deps), UserFacingError);
    assert.equal(w.store.entries[0]?.outcome, 'failed');
    assert.equal(w.store.entries[0]?.detail, 'The client secret [redacted] was refused by the provider.');
    w.noSecret();
  });

  it('when the operation fails unexpectedly, then the entry names the error only, not its message', async () => {
    const w = audit();
    const broken = async () => {
      throw new TypeError(`cannot read ${SECRET}`);
    };
    await assert.rejects(audited('provider.test', broken)(w.request({ provider: 'split' }), w.deps), TypeError);
    assert.deepEqual(w.store.entries[0], {
      at: 1_800_000_000_000,
      actor_user_id: 'u1',
      action: 'provider.test',
      target: 'split',
      outcome: 'failed',
      detail: 'TypeError: not a refusal (see the log)',
    });
  });

  it('when the store fails, then the action still answers and the failure is logged', async () => {
    const w = audit();
    w.store.insert = async () => {
      throw new Error('disk full');
    };
    const answer = await audited('provider.add', addProvider)(w.request(FORM), w.deps);
    assert.match(answer.text ?? '', /Registered/);
    assert.ok(w.logger.lines.some((l) => l.includes('audit: the entry could not be stored')));
  });
});
