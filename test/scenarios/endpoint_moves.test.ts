/**
 * On every chosen host: an admin points ONE endpoint of a provider (typed over
 * its discovered metadata) at another origin. Without the client secret typed
 * again the edit is refused and nothing changes; with it the edit is saved, and
 * the users' tokens are retired: whoami (even when the token needs a refresh),
 * disconnect and removing the provider send nothing to the new origin, a local
 * listener that records every request, and the user is asked to reconnect.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type RecordingListener, startRecordingListener } from '../support/recording_listener.js';
import type { Person, ScenarioHost } from './host.js';
import { connectUser, say, testProviderValues } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';

/** Each endpoint and the provider id it is moved on (ids registered at the test provider in test/support/redirects.ts). */
const MOVES = [
  { endpoint: 'authorization_endpoint', id: 'to-authorize' },
  { endpoint: 'token_endpoint', id: 'to-token' },
  { endpoint: 'userinfo_endpoint', id: 'to-userinfo' },
  { endpoint: 'revocation_endpoint', id: 'to-revoke' },
  { endpoint: 'registration_endpoint', id: 'to-register' },
  { endpoint: 'pushed_authorization_request_endpoint', id: 'to-par' },
  { endpoint: 'introspection_endpoint', id: 'to-introspect' },
];

const TWO_HOURS_MS = 2 * 3600 * 1000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const choice of scenarioHosts()) {
  describe(`one endpoint of a provider moves to another origin (${choice.label})`, () => {
    let host: ScenarioHost;
    let other: RecordingListener;
    let ana: Person;
    let ben: Person;

    /** A generic OAuth 2.0 provider: RFC 8414 discovery at the test provider, its endpoints open to overrides. */
    async function registerGeneric(id: string): Promise<void> {
      const answer = await host.command(host.admin, ['provider', 'add'], { ...testProviderValues(host.provider, id), preset: 'oauth2' });
      assert.equal(answer.kind, 'text', answer.text);
    }

    /** Every token the test provider issued to `login`, and the client secret. */
    function secretsOf(login: string): string[] {
      const tokens = host.provider.issued.filter((i) => i.account === login).flatMap((i) => [i.access_token, i.refresh_token ?? '']);
      assert.ok(tokens.length > 0, `the provider issued tokens to ${login}`);
      return [...tokens, host.provider.clients.basic.client_secret ?? ''];
    }

    /** On the standalone host a removal revokes after its answer: wait for the admin's summary. */
    async function removalSummary(name: string): Promise<string> {
      if (host.name !== 'standalone') return '';
      for (let i = 0; i < 100; i += 1) {
        const found = (await host.directMessages(host.admin)).find((m) => m.startsWith(`Removing **${name}**`));
        if (found) return found;
        await pause(100);
      }
      throw new Error(`no removal summary for ${name}`);
    }

    before(async () => {
      host = await choice.start();
      other = await startRecordingListener();
      await fetch(other.origin, { headers: { authorization: `Basic ${Buffer.from('id:sec%2Fret').toString('base64')}` } });
      assert.equal(other.carrying(['sec/ret']).length, 1, 'the listener finds a secret sent in Basic credentials');
      other.requests.length = 0;
      ana = await host.createUser('ana');
      ben = await host.createUser('ben');
    });
    after(async () => {
      await other?.close();
      await host?.close();
    });

    for (const { endpoint, id } of MOVES) {
      it(`when an admin moves the ${endpoint} to another origin, then the client secret is asked again and no token or secret is sent there`, async () => {
        const field = `endpoints_${endpoint}`;
        const moved = { provider: id, [field]: `${other.origin}/${endpoint}` };
        await registerGeneric(id);
        for (const user of [ana, ben]) assert.ok((await connectUser(host, user, `${user.username}-${id}`, id)).completed);

        const refused = await host.command(host.admin, ['provider', 'edit'], moved);
        assert.equal(refused.kind, 'error', refused.text);
        assert.match(refused.kind === 'error' ? (refused.fieldErrors.client_secret ?? '') : '', /Enter the client secret again/);
        const form = await host.command(host.admin, ['provider', 'edit'], { provider: id }).then((a) => (a.kind === 'form' ? a.form : undefined));
        assert.equal(form?.shown(field), '', 'the refused endpoint was not stored');
        assert.match(await say(host, ana, ['whoami'], { provider: id }), new RegExp(`you are \\*\\*${ana.username}-${id}\\*\\*`));

        const saved = await host.command(host.admin, ['provider', 'edit'], { ...moved, client_secret: host.provider.clients.basic.client_secret ?? '' });
        assert.equal(saved.kind, 'text', saved.text);
        host.clock.offsetMs = TWO_HOURS_MS; // The access token looks expired: a refresh would be tried if the token were used.
        try {
          assert.match(await say(host, ana, ['whoami'], { provider: id }), /does not belong here.*[Rr]econnect/s);
          assert.match(
            await say(host, ben, ['disconnect'], { provider: id }),
            /Disconnected your .* account\. The (provider moved|stored token could not be read)/,
          );
        } finally {
          host.clock.offsetMs = 0;
        }
        const removed = await host.command(host.admin, ['provider', 'remove'], { provider: id, confirm: true });
        assert.match(removed.text, /Removed \*\*/);
        if (host.name === 'standalone')
          assert.match(await removalSummary(`IdP ${id}`), /1 tokens came from another address of the provider and were not sent anywhere/);

        const leaked = other.carrying([...secretsOf(`${ana.username}-${id}`), ...secretsOf(`${ben.username}-${id}`)]);
        assert.deepEqual(
          leaked.map((r) => `${r.method} ${r.url}`),
          [],
          'no token or client secret reached the new origin',
        );
      });
    }
  });
}
