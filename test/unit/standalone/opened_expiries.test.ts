/**
 * The token expiries a process keeps once it opened the sealed value: the
 * same row and text are not opened again, anything else is, a value that
 * does not open is never kept, and the bound holds.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openedExpiries } from '../../../src/hosts/standalone/db/opened_expiries.js';

const row = (tokens: string, user_id = 'u1') => ({ user_id, provider_id: 'gitlab', origin: 'https://gitlab.example', tokens });

function counted(answer: () => number | undefined) {
  let opens = 0;
  return {
    open: async () => {
      opens += 1;
      return answer();
    },
    get opens() {
      return opens;
    },
  };
}

it('when the same sealed text of the same row is read again, then its expiry is answered without opening it', async () => {
  const expiries = openedExpiries();
  const opener = counted(() => 1234);
  assert.equal(await expiries.of(row('v2.k.tag.iv.data'), opener.open), 1234);
  assert.equal(await expiries.of(row('v2.k.tag.iv.data'), opener.open), 1234);
  assert.equal(opener.opens, 1);
  // A token without expiry is kept as such too.
  const none = counted(() => undefined);
  assert.equal(await expiries.of(row('v2.k.tag.iv.other'), none.open), undefined);
  assert.equal(await expiries.of(row('v2.k.tag.iv.other'), none.open), undefined);
  assert.equal(none.opens, 1);
});

it('when the text is new (a refresh, a reconnect, a rotation) or read for another row, then it is opened again', async () => {
  const expiries = openedExpiries();
  const opener = counted(() => 1);
  await expiries.of(row('v2.k.tag.iv.first'), opener.open);
  await expiries.of(row('v2.k.tag.iv.second'), opener.open);
  await expiries.of(row('v2.k.tag.iv.first', 'u2'), opener.open);
  assert.equal(opener.opens, 3);
});

it('when the value does not open, then it fails at every read: nothing is kept for it', async () => {
  const expiries = openedExpiries();
  let opens = 0;
  const failing = async (): Promise<number | undefined> => {
    opens += 1;
    throw new Error('does not open');
  };
  await assert.rejects(expiries.of(row('v2.k.bad.iv.data'), failing), /does not open/);
  await assert.rejects(expiries.of(row('v2.k.bad.iv.data'), failing), /does not open/);
  assert.equal(opens, 2);
  assert.equal(expiries.size, 0);
});

it('when more texts than the bound were opened, then the oldest is let go and opened again at its next read', async () => {
  const expiries = openedExpiries(2);
  const opener = counted(() => 7);
  for (const text of ['a', 'b', 'c']) await expiries.of(row(text), opener.open);
  assert.equal(expiries.size, 2);
  await expiries.of(row('c'), opener.open);
  assert.equal(opener.opens, 3);
  await expiries.of(row('a'), opener.open);
  assert.equal(opener.opens, 4);
});
