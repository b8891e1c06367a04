/**
 * When the Apps host's calls start a user's copy to the standalone host
 * (calls/user_copier.ts), on a ledger the test holds and a Mattermost stub:
 * while user copying is off, calls start nothing and ask nothing; a copied
 * user's calls ask nothing until the process asks again; a change that lands
 * while a check of the same user runs is copied as soon as that check ends,
 * with the latest call, not left to a call that may never come.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MoveLedger, MoveTarget } from '../../../src/core/apps_move/ports.js';
import { createUserCopies, DONE_KEPT_MS } from '../../../src/hosts/apps/calls/user_copier.js';
import type { Deps } from '../../../src/hosts/apps/calls/deps.js';
import type { CallRequest } from '../../../src/hosts/apps/protocol/types.js';
import { createMemoryLogger } from '../../../src/log/logger.js';

const SITE = 'https://mm.example.com';
const USER = 'u7k3mfq9zbdn8xw1ceyr4tjahs';

const callOf = (token: string): CallRequest =>
  ({
    path: '/bindings',
    context: { mattermost_site_url: SITE, acting_user: { id: USER }, acting_user_access_token: token },
  }) as unknown as CallRequest;

/** A ledger whose answers the test sets, recording what was asked of it. */
function heldLedger(enabled: boolean | undefined) {
  const asked: string[] = [];
  let mark: string | undefined;
  let visited = false;
  const ledger = {
    usersEnabledKnown: () => enabled,
    usersEnabled: async () => (asked.push('enabled'), enabled ?? false),
    copyDue: async (_userId: string): Promise<{ mark?: string } | undefined> => {
      asked.push('due');
      return mark ? { mark } : visited ? undefined : {};
    },
    markChanged: async () => void (mark = `m${asked.push('mark')}`),
    settled: async (_userId: string, read: string) => {
      asked.push(`settled ${read}`);
      if (mark === read) mark = undefined;
    },
    know: async () => undefined,
    copied: async () => void (visited = true),
    copiedOf: async () => [],
  };
  return { ledger, asked, setVisited: () => void (visited = true) };
}

function copier(ledger: ReturnType<typeof heldLedger>['ledger']) {
  const clock = { now: 1_000_000 };
  const fetched: string[] = [];
  const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    fetched.push(`${init?.method ?? 'GET'} ${url.pathname} ${new Headers(init?.headers).get('authorization')}`);
    const body =
      url.pathname === '/api/v4/users/me' ? { id: USER, roles: 'system_user' } : url.pathname.endsWith('/oauth2/user') ? { v: 1, connections: {} } : {};
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const target = {
    notReady: async () => undefined,
    providers: { get: async () => undefined },
    connections: { summaries: async () => ({}) },
    ledger: ledger as unknown as MoveLedger,
  } as unknown as MoveTarget;
  const deps = {
    config: { httpTimeoutMs: 5000 },
    logger: createMemoryLogger(),
    fetch: fetchStub,
    now: () => clock.now,
  } as unknown as Omit<Deps, 'userCopies'>;
  return { copies: createUserCopies(target, deps), fetched, clock };
}

describe('starting copies after calls', () => {
  it('when user copying is off, then calls start nothing and ask neither the storage nor Mattermost', async () => {
    const held = heldLedger(false);
    const { copies, fetched } = copier(held.ledger);
    for (let i = 0; i < 100; i += 1) copies.afterCall(callOf('tok'));
    await copies.idle();
    assert.deepEqual(held.asked, []);
    assert.deepEqual(fetched, []);
  });

  it('when a user was copied, then their calls ask nothing until the process asks again, and a call without a token starts nothing', async () => {
    const held = heldLedger(true);
    const { copies, fetched, clock } = copier(held.ledger);
    copies.afterCall(callOf('tok'));
    await copies.idle();
    assert.equal(fetched.filter((f) => f.startsWith('GET /api/v4/users/me')).length, 1);
    held.asked.length = 0;
    for (let i = 0; i < 50; i += 1) copies.afterCall(callOf('tok'));
    copies.afterCall({ ...callOf('tok'), context: { ...callOf('tok').context, acting_user_access_token: undefined } } as CallRequest);
    await copies.idle();
    assert.deepEqual(held.asked, []);
    clock.now += DONE_KEPT_MS + 1;
    copies.afterCall(callOf('tok'));
    await copies.idle();
    assert.deepEqual(held.asked, ['enabled', 'due'], 'asked again, found copied');
  });

  it('when a change lands while a check of the same user runs, then the change is copied when the check ends, with the latest call', async () => {
    const held = heldLedger(true);
    held.setVisited();
    const { copies, fetched, clock } = copier(held.ledger);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const copyDue = held.ledger.copyDue;
    held.ledger.copyDue = async (userId) => {
      const answer = await copyDue(userId);
      await gate;
      return answer;
    };
    copies.afterCall(callOf('first'));
    await new Promise((resolve) => setImmediate(resolve));
    // The check read "copied" before the change; the change's own call finds that check running.
    copies.changed(USER);
    copies.afterCall(callOf('latest'));
    release();
    await copies.idle();
    assert.ok(
      held.asked.some((a) => a.startsWith('settled m')),
      `the mark is settled: ${held.asked.join(', ')}`,
    );
    assert.deepEqual(
      fetched.filter((f) => f.includes('/users/me')),
      ['GET /api/v4/users/me Bearer latest'],
      'copied with the latest call',
    );
    held.asked.length = 0;
    clock.now += 1;
    copies.afterCall(callOf('later'));
    await copies.idle();
    assert.deepEqual(held.asked, [], 'then taken as copied');
  });
});
