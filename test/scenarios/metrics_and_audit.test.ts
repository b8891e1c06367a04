/**
 * What an admin watching the service sees, on every chosen host: the metrics
 * move as a provider is registered, a user connects, the token is refreshed
 * and revoked, and hold no secret and no user id; the audit trail records the
 * admin's changes (an edit by the names of the fields it changed) and never
 * the client secret typed with them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIT_NOT_KEPT_HERE } from '../../src/core/admin/audit_command.js';
import { metricValue, parseMetrics, type Sample } from '../support/metrics_text.js';
import type { Person, ScenarioHost } from './host.js';
import { connectUser, PROVIDER_ID, registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';
import type { StandaloneHost } from './hosts/standalone.js';

const P = 'oauth2_connect_';

for (const choice of scenarioHosts()) {
  describe(`metrics and the audit trail (${choice.label})`, { timeout: 180_000 }, () => {
    let host: ScenarioHost;
    let alice: Person;
    let start: Sample[];
    const scrape = async () => parseMetrics(await host.metrics());
    /** How much a counter (or a histogram's _count) grew since the first scrape. */
    const grew = (now: Sample[], name: string, labels: Record<string, string>) => metricValue(now, name, labels) - metricValue(start, name, labels);

    before(async () => {
      host = await choice.start();
      alice = await host.createUser('alice');
      start = await scrape();
    });
    after(() => host?.close());

    it('when a provider is registered, a user connects, the token is refreshed and the user disconnects, then each counter moves by provider and outcome', async () => {
      await registerTestProvider(host);
      assert.equal((await connectUser(host, alice, 'alice-metrics')).completed, true);
      try {
        host.clock.offsetMs = 2 * 3600 * 1000;
        assert.match(await say(host, alice, ['whoami'], { provider: PROVIDER_ID }), /alice-metrics/);
      } finally {
        host.clock.offsetMs = 0;
      }
      assert.match(await say(host, alice, ['disconnect'], { provider: PROVIDER_ID }), /revoked/);
      const now = await scrape();
      const at = { host: host.name, provider: PROVIDER_ID };
      assert.equal(grew(now, `${P}flows_started_total`, at), 1);
      assert.equal(grew(now, `${P}connects_total`, { ...at, outcome: 'success' }), 1);
      assert.equal(grew(now, `${P}flows_completed_total`, at), 1);
      assert.equal(grew(now, `${P}refreshes_total`, { ...at, outcome: 'success' }), 1);
      assert.equal(grew(now, `${P}revocations_total`, { ...at, outcome: 'revoked' }), 1);
      assert.equal(grew(now, `${P}provider_errors_total`, at), 0);
      assert.ok(grew(now, `${P}requests_total`, { host: host.name, surface: 'command', outcome: 'ok' }) >= 4, 'the commands were counted');
      assert.ok(grew(now, `${P}mattermost_request_duration_seconds_count`, { host: host.name, outcome: 'ok' }) >= 1, 'Mattermost calls were timed');
      if (host.name === 'standalone') assert.ok(grew(now, `${P}database_query_duration_seconds_count`, { outcome: 'ok' }) >= 10, 'statements were timed');
    });

    it('when a refresh is refused by the provider, then it counts as a refresh failure and a provider error of its kind', async () => {
      assert.equal((await connectUser(host, alice, 'alice-metrics')).completed, true);
      const before = await scrape();
      assert.ok(host.provider.revokeAccount('alice-metrics') > 0, 'the grant was revoked at the provider');
      try {
        host.clock.offsetMs = 2 * 3600 * 1000;
        await host.command(alice, ['whoami'], { provider: PROVIDER_ID });
      } finally {
        host.clock.offsetMs = 0;
      }
      const now = await scrape();
      const at = { host: host.name, provider: PROVIDER_ID };
      const delta = (name: string, labels: Record<string, string>) => metricValue(now, name, labels) - metricValue(before, name, labels);
      assert.equal(delta(`${P}refreshes_total`, { ...at, outcome: 'invalid_grant' }), 1);
      assert.equal(delta(`${P}provider_errors_total`, { ...at, kind: 'invalid_grant', operation: 'refresh' }), 1);
    });

    it('when the metrics are read, then they hold no secret, no token and no user id', async () => {
      const text = await host.metrics();
      for (const secret of host.secrets) assert.ok(!text.includes(secret), 'a secret is in the metrics');
      for (const user of [alice, host.admin]) assert.ok(!text.includes(user.id), 'a user id is in the metrics');
      assert.doesNotMatch(text, /alice|access_token|refresh_token|Bearer/);
    });

    it('when an admin edits the provider retyping its client secret, then the audit names the changed fields and no entry or log line holds the secret', async () => {
      const secret = host.provider.clients.basic.client_secret!;
      const edited = await host.command(host.admin, ['provider', 'edit'], { provider: PROVIDER_ID, display_name: 'Audited IdP', client_secret: secret });
      assert.equal(edited.kind, 'text', edited.text);
      const lines = host.logs.filter((line) => line.includes('"msg":"audit"')).map((line) => JSON.parse(line) as Record<string, string>);
      const add = lines.find((l) => l.action === 'provider.add');
      assert.equal(add?.actor_user_id, host.admin.id);
      assert.equal(add?.outcome, 'ok');
      const edit = lines.find((l) => l.action === 'provider.edit');
      assert.equal(edit?.detail, 'changed: display_name');
      assert.equal(edit?.target, PROVIDER_ID);
      for (const line of host.logs) assert.ok(!line.includes(secret), 'the client secret is in a log line');
      const answer = await say(host, host.admin, ['audit']);
      if (host.name === 'apps') {
        assert.equal(answer, AUDIT_NOT_KEPT_HERE);
        return;
      }
      assert.match(answer, /provider\.edit \| idp \| ok \| `changed: display_name`/);
      assert.match(answer, /provider\.add \| idp \| ok/);
      const rows = await (host as StandaloneHost).repositories.auditLog.recent({ limit: 200 });
      assert.ok(rows.some((r) => r.action === 'provider.edit' && r.actor_user_id === host.admin.id));
      for (const secret of host.secrets) assert.ok(!JSON.stringify(rows).includes(secret), 'a secret is in an audit row');
      assert.ok(!answer.includes(secret));
    });
  });
}
