/**
 * A command's admission in SQL (token check and the trigger's single-use
 * record together): the record is stored only for the team's own token,
 * once, whatever the order or the concurrency of the requests.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createRepositories } from '../../../src/hosts/standalone/db/index.js';
import type { OneTimeRecord } from '../../../src/hosts/standalone/ports.js';
import { hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';
import { onEachBackend, testSealer } from '../../support/standalone_db.js';

const NOW = 1_780_000_000_000;
const trigger = (key: string): OneTimeRecord => ({ key_hash: key, purpose: 'trigger', user_id: 'u1', provider_id: '', expires_at: NOW + 10_000 });

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
});
