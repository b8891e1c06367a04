/**
 * Which errors the standalone host answers with "cannot reach its database"
 * (retry later) rather than "something went wrong" (a bug, logged with its stack).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDatabaseUnavailable } from '../../../src/hosts/standalone/database_unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('when the database is down, slow, full or shutting down, then yes', () => {
    for (const error of [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'all addresses failed'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated due to connection timeout'),
      new Error('Connection terminated unexpectedly'),
      withCode('canceling statement due to statement timeout', '57014'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('sorry, too many clients already', '53300'),
      withCode('connection failure', '08006'),
      withCode('database is locked', 'SQLITE_BUSY'),
    ])
      assert.equal(isDatabaseUnavailable(error), true, error.message);
  });

  it('when the error is a bug, a constraint, or an outbound request that failed, then no', () => {
    for (const error of [
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      withCode('duplicate key value violates unique constraint "connections_pkey"', '23505'),
      withCode('relation "connections" does not exist', '42P01'),
      // fetch() to a provider or Mattermost: the code is on the cause, and these are not the database.
      Object.assign(new TypeError('fetch failed'), { cause: withCode('connect ECONNREFUSED 10.0.0.5:443', 'ECONNREFUSED') }),
    ])
      assert.equal(isDatabaseUnavailable(error), false, error.message);
    assert.equal(isDatabaseUnavailable('a string'), false);
    assert.equal(isDatabaseUnavailable(undefined), false);
  });
});
