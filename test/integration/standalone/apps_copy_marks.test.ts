/**
 * The change marks of the move's ledger (migration 0012) on SQLite and
 * PostgreSQL: a user never copied is due; a copied one is not, until a change
 * marks them; a copy clears only the mark it read, so a change made while it
 * ran stays due; while user copying is off, a change of a user never copied
 * writes nothing; a second ledger (another replica) reads the same marks.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SqlAppsImportLedger } from '../../../src/hosts/standalone/db/apps_import_store.js';
import { onEachBackend } from '../../support/standalone_db.js';

onEachBackend('the copy marks', ({ database }) => {
  const ledger = () => new SqlAppsImportLedger(database().db);
  const marks = async () => (await database().db.selectFrom('apps_import_changes').select('user_id').execute()).map((r) => r.user_id);

  it('when user copying is off, then a change of a user never copied writes nothing, and that user is due', async () => {
    await ledger().markChanged('never');
    assert.deepEqual(await marks(), []);
    assert.deepEqual(await ledger().copyDue('never'), {});
  });

  it('when a copied user changes, then they are due with the mark, on another ledger too, until a copy settles it', async () => {
    const a = ledger();
    await a.copied('u1', [], 1000);
    assert.equal(await a.copyDue('u1'), undefined);
    await a.markChanged('u1');
    const due = await ledger().copyDue('u1');
    assert.ok(due?.mark);
    await a.settled('u1', due.mark);
    assert.equal(await ledger().copyDue('u1'), undefined);
  });

  it('when a change lands while a copy runs, then settling the mark the copy read leaves the user due', async () => {
    const a = ledger();
    await a.copied('u2', [], 1000);
    await a.markChanged('u2');
    const read = (await a.copyDue('u2'))!.mark!;
    await a.markChanged('u2');
    await a.settled('u2', read);
    const after = await a.copyDue('u2');
    assert.ok(after?.mark && after.mark !== read);
  });

  it('when user copying is on, then a change of a user not yet copied is marked too (their copy may be running)', async () => {
    const a = ledger();
    await a.enableUsers(2000);
    await a.markChanged('u3');
    assert.ok((await marks()).includes('u3'));
    assert.ok((await a.copyDue('u3'))?.mark);
  });
});
