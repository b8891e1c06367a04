/**
 * A command's admission in SQL (token check and the trigger's single-use
 * record together): the record is stored only for the team's own token,
 * once, whatever the order or the concurrency of the requests; the user's
 * view comes with it only for a trigger it claimed, and only that user's.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createRepositories } from '../../../src/hosts/standalone/db/index.js';
import type { ConnectionRow } from '../../../src/core/ports.js';
import type { OneTimeRecord } from '../../../src/hosts/standalone/ports.js';
import { hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';
import { onEachBackend, testSealer } from '../../support/standalone_db.js';

const NOW = 1_780_000_000_000;
const trigger = (key: string, user = 'u1'): OneTimeRecord => ({ key_hash: key, purpose: 'trigger', user_id: user, provider_id: '', expires_at: NOW + 10_000 });
const connection = (user: string, provider: string): ConnectionRow => ({
  user_id: user,
  provider_id: provider,
  origin: `https://${provider}.example`,
  connection: { label: `${user}@${provider}`, sub: `sub-${user}`, since: NOW, expires_at: NOW + 3_600_000 },
  tokens: { access_token: `at-${user}-${provider}`, token_type: 'Bearer', expires_at: NOW + 3_600_000, obtained_at: NOW },
});
const provider = (id: string) => ({
  id,
  display_name: id,
  preset: 'oidc' as const,
  issuer: `https://${id}.example`,
  client_id: 'c',
  auth: 'none' as const,
  scopes: ['openid'],
  created_at: NOW,
  updated_at: NOW,
});

onEachBackend('command admission', ({ database }) => {
  const stores = () => createRepositories(database(), testSealer(), () => NOW);
  const held = (key: string) => stores().oneTime.holds(key, 'trigger', NOW);

  it("when the token is the team's, then its trigger is stored once: a second admission of it claims nothing", async () => {
    const { installation, admission } = stores();
    await installation.saveCommand({ team_id: 'team-a', command_id: 'c1', token_hash: hashCommandToken('right'), updated_at: NOW });
    assert.deepEqual(await admission.admit('team-a', hashCommandToken('right'), trigger('k1')), { storedHash: hashCommandToken('right'), claimed: true });
    assert.equal(await held('k1'), true);
    assert.deepEqual(await admission.admit('team-a', hashCommandToken('right'), trigger('k1')), { storedHash: hashCommandToken('right'), claimed: false });
  });

  it('when the token is wrong, the team unknown or its command unrepaired (no hash), then nothing is stored', async () => {
    const { installation, admission } = stores();
    await installation.saveCommand({ team_id: 'team-b', command_id: 'c2', token_hash: '', updated_at: NOW });
    assert.deepEqual(await admission.admit('team-a', hashCommandToken('wrong'), trigger('k2')), { storedHash: hashCommandToken('right'), claimed: false });
    assert.deepEqual(await admission.admit('team-z', hashCommandToken('right'), trigger('k3')), { storedHash: undefined, claimed: false });
    assert.deepEqual(await admission.admit('team-b', '', trigger('k4')), { storedHash: '', claimed: false });
    for (const key of ['k2', 'k3', 'k4']) assert.equal(await held(key), false, key);
  });

  it('when eight admissions of one trigger arrive at once, then exactly one claims it', async () => {
    const { admission } = stores();
    const results = await Promise.all(Array.from({ length: 8 }, () => admission.admit('team-a', hashCommandToken('right'), trigger('k5'))));
    assert.equal(results.filter((r) => r.claimed).length, 1);
  });

  it('when sixteen commands arrive at once, two of them with one trigger, then each other trigger is stored and admitted once, that one once', async () => {
    const { installation, admission } = stores();
    await installation.saveCommand({ team_id: 'team-m', command_id: 'cm', token_hash: hashCommandToken('m'), updated_at: NOW });
    const keys = [...Array.from({ length: 15 }, (_, i) => `km${i}`), 'km0'];
    const results = await Promise.all(keys.map((key) => admission.admit('team-m', hashCommandToken('m'), trigger(key), true)));
    assert.equal(results.filter((r) => r.claimed).length, 15);
    assert.ok(results.filter((r) => r.claimed).every((r) => r.view !== undefined));
    for (const key of new Set(keys)) assert.equal(await held(key), true, key);
    // A wrong token among them stores nothing and refuses only itself.
    const mixed = await Promise.all([
      admission.admit('team-m', hashCommandToken('m'), trigger('kn1')),
      admission.admit('team-m', hashCommandToken('wrong'), trigger('kn2')),
      admission.admit('team-m', hashCommandToken('m'), trigger('kn3')),
    ]);
    assert.deepEqual(
      mixed.map((r) => r.claimed),
      [true, false, true],
    );
    assert.equal(await held('kn2'), false);
  });

  it("when the command starts from its user's view, then the admission that claims the trigger brings that user's view, as withProviders reads it", async () => {
    const { installation, admission, providers, connections } = stores();
    await installation.saveCommand({ team_id: 'team-v', command_id: 'cv', token_hash: hashCommandToken('view'), updated_at: NOW });
    await providers.save(provider('gitlab'));
    await providers.save(provider('acme'));
    await connections.save(connection('u-view', 'gitlab'));
    await connections.save(connection('u-other', 'acme'));
    const admitted = await admission.admit('team-v', hashCommandToken('view'), trigger('kv1', 'u-view'), true);
    assert.equal(admitted.claimed, true);
    const expected = await connections.withProviders('u-view');
    assert.deepEqual(admitted.view?.providers, expected.providers);
    assert.deepEqual(admitted.view?.connections, expected.connections);
    assert.deepEqual(Object.keys(admitted.view?.connections ?? {}), ['gitlab']);
    assert.equal((await admitted.view?.opened('gitlab'))?.tokens.access_token, 'at-u-view-gitlab');
    assert.equal(await admitted.view?.opened('acme'), undefined);
    // A user with no connection gets the providers and no connection.
    const none = await admission.admit('team-v', hashCommandToken('view'), trigger('kv2', 'u-none'), true);
    assert.deepEqual(none.view?.connections, {});
    assert.deepEqual(none.view?.providers.map((p) => p.id).sort(), ['acme', 'gitlab']);
  });

  it("when the view comes with the admission, then it lists the user's grants as grantsOf does, and only that user's", async () => {
    const { installation, admission, tokenClients, connections } = stores();
    // Connected where they grant: a grant is stored only while its connection exists.
    for (const [user, provider] of [
      ['u-g', 'gitlab'],
      ['u-g', 'acme'],
      ['u-other', 'gitlab'],
    ] as const)
      await connections.save(connection(user, provider));
    await installation.saveCommand({ team_id: 'team-g', command_id: 'cg', token_hash: hashCommandToken('g'), updated_at: NOW });
    for (const id of ['zeta-bot', 'alpha-bot'])
      await tokenClients.create(
        {
          id,
          name: id,
          providers: ['gitlab', 'acme'],
          scopes: ['read'],
          sources: [],
          rate_per_minute: 60,
          created_by: 'admin',
          created_at: NOW,
          credential_at: NOW,
        },
        `hash-${id}`,
      );
    const grant = (client_id: string, provider_id: string, user_id = 'u-g') => ({
      user_id,
      client_id,
      provider_id,
      scopes: ['read', 'write'],
      granted_at: NOW,
    });
    await tokenClients.grant(grant('zeta-bot', 'gitlab'));
    await tokenClients.grant(grant('alpha-bot', 'gitlab'));
    await tokenClients.grant(grant('alpha-bot', 'acme'));
    await tokenClients.grant(grant('alpha-bot', 'gitlab', 'u-other'));
    await tokenClients.touch('alpha-bot', 'u-g', 'acme', NOW + 5);
    const admitted = await admission.admit('team-g', hashCommandToken('g'), trigger('kg1', 'u-g'), true);
    assert.deepEqual(admitted.view?.grants, await tokenClients.grantsOf('u-g'));
    assert.deepEqual(
      admitted.view?.grants?.map((g) => `${g.client_id}/${g.provider_id}`),
      ['alpha-bot/acme', 'alpha-bot/gitlab', 'zeta-bot/gitlab'],
    );
    const none = await admission.admit('team-g', hashCommandToken('g'), trigger('kg2', 'u-nobody'), true);
    assert.deepEqual(none.view?.grants, []);
  });

  it('when the trigger is replayed, the token is wrong or the view was not asked for, then no view comes back', async () => {
    const { installation, admission, connections } = stores();
    await installation.saveCommand({ team_id: 'team-w', command_id: 'cw', token_hash: hashCommandToken('w'), updated_at: NOW });
    await connections.save(connection('u-w', 'gitlab'));
    assert.ok((await admission.admit('team-w', hashCommandToken('w'), trigger('kw1', 'u-w'), true)).view);
    const replayed = await admission.admit('team-w', hashCommandToken('w'), trigger('kw1', 'u-w'), true);
    assert.deepEqual(replayed, { storedHash: hashCommandToken('w'), claimed: false });
    const wrongToken = await admission.admit('team-w', hashCommandToken('not-w'), trigger('kw2', 'u-w'), true);
    assert.deepEqual(wrongToken, { storedHash: hashCommandToken('w'), claimed: false });
    const notAsked = await admission.admit('team-w', hashCommandToken('w'), trigger('kw3', 'u-w'));
    assert.deepEqual(notAsked, { storedHash: hashCommandToken('w'), claimed: true });
  });
});
