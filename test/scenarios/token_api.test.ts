/**
 * The token API on the standalone host, end to end: a system admin registers
 * an integration as a client through the dialog (its credential shown once,
 * in the dialog's result), the client asks for users' tokens, users are
 * prompted by the bot to connect and to allow it, and each refusal answers its
 * stable code. Insiders attack it: a non-admin registering a client, a click
 * on another user's consent button, a forged, tampered, replayed or expired
 * consent, a consent for a client removed and registered again under the same
 * name, a client asking beyond what it may, from another address, with a
 * replaced credential, after a grant was revoked, faster than its rate. A
 * grant revoked or ended by a disconnect is an audit entry.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NOT_ADMIN } from '../../src/core/admin/admin_guard.js';
import { CONSENT_URL_PATH } from '../../src/hosts/standalone/token_api/prompts.js';
import { TokenApiClient, TokenApiError } from '@oauth2-connect/token-client';
import type { Person } from './host.js';
import { connectUser, registerTestProvider } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';
import { scenarioStorage, type StandaloneHost } from './hosts/standalone.js';
import { actionsOf, type FakeStandaloneMattermost } from './hosts/standalone_fake.js';
import { tampered } from '../support/tamper.js';

const CREDENTIAL = /o2c_[A-Za-z0-9_-]{43}/;

interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

for (const choice of scenarioHosts(['standalone'])) {
  describe(`the token API (${choice.label})`, () => {
    let host: StandaloneHost;
    let alice: Person;
    let bob: Person;
    let carol: Person;
    let credential = '';
    const credentials: string[] = [];
    const issuedTokens: string[] = [];
    const replicaLogs: string[][] = [];

    const api = async (path: string, auth: string, body: unknown, root = host.rootUrl): Promise<ApiAnswer> => {
      const res = await fetch(`${root}/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth && { authorization: auth }) },
        body: JSON.stringify(body),
      });
      const answer = { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
      if (typeof answer.body.access_token === 'string') issuedTokens.push(answer.body.access_token);
      return answer;
    };
    const token = (user: Person, provider = 'idp', key = credential, extra: Record<string, unknown> = {}) =>
      api('/token', `Bearer ${key}`, { user_id: user.id, provider, ...extra });

    /** `/oauth2 client add`, the dialog filled and saved; the credential as its result shows it. */
    const addClient = async (values: Record<string, string>): Promise<string> => {
      const outcome = await host.mm.execute(host.admin, 'client add');
      assert.ok(outcome.dialog, `a dialog opened: ${outcome.text}`);
      const form = host.dialogForm(host.admin, outcome.dialog);
      await form.fill(values);
      const saved = await form.submit();
      assert.equal(saved.kind, 'form', `the credential is shown in the dialog's result: ${saved.text}`);
      const shown = CREDENTIAL.exec(form.notes)?.[0];
      assert.ok(shown, form.notes);
      credentials.push(shown);
      assert.equal((await form.submit()).kind, 'text', 'Done closes it');
      return shown;
    };

    /** `/oauth2 client remove <id>`, confirmed in its dialog. */
    const removeClient = async (id: string) => {
      const removal = await host.mm.execute(host.admin, `client remove ${id}`);
      const confirm = host.dialogForm(host.admin, removal.dialog!);
      await confirm.fill({ confirm: true });
      await confirm.submit();
    };

    const fake = () => (host.backend === 'fake' ? (host.mm as FakeStandaloneMattermost) : undefined);

    /** The consent context of the user's latest consent DM, as Mattermost keeps it (only the fake shows it to a test). */
    const consentContext = (user: Person, name = 'Allow'): Record<string, unknown> => {
      const post = fake()!.fake.posts.findLast((p) => p.to === user.id && actionsOf(p.props).length > 0);
      const action = actionsOf(post?.props).find((a) => a.name === name);
      assert.ok(action, 'a consent DM with buttons');
      return action.integration.context;
    };
    const postAction = async (userId: string, context: unknown) => {
      const res = await fetch(`${host.rootUrl}${CONSENT_URL_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: userId, post_id: 'p', channel_id: 'c', context }),
      });
      return (await res.json()) as { ephemeral_text?: string; update?: unknown };
    };

    before(async () => {
      host = (await choice.start()) as StandaloneHost;
      await registerTestProvider(host);
      await registerTestProvider(host, 'other');
      alice = await host.createUser('alice');
      bob = await host.createUser('bob');
      carol = await host.createUser('carol');
    });
    after(() => host?.close());

    it('when a user or a team admin runs client add, then it is refused and no dialog opens', async () => {
      const outcome = await host.mm.execute(bob, 'client add');
      assert.equal(outcome.text, NOT_ADMIN);
      assert.equal(outcome.dialog, undefined);
      const kit = await host.teamAdminKit(carol);
      try {
        const form = new URLSearchParams({
          token: kit.commandToken,
          team_id: kit.teamId,
          channel_id: kit.channelId,
          user_id: carol.id,
          user_name: carol.username,
          command: '/oauth2',
          text: 'client add',
          trigger_id: await kit.ownTrigger(),
          response_url: `${host.mm.url}/hooks/commands/${'h'.repeat(26)}`,
        });
        const res = await fetch(`${host.rootUrl}/standalone/command`, { method: 'POST', body: form });
        assert.equal(((await res.json()) as { text?: string }).text, NOT_ADMIN, 'a team admin with their own command token and trigger');
      } finally {
        await kit.close();
      }
      assert.deepEqual(await host.service.standalone!.repositories.tokenClients.list(), []);
    });

    it('when a system admin registers a client through the dialog, then its credential is shown once in the dialog only, and stored as a hash', async () => {
      credential = await addClient({ name: 'Issue Bot', providers: 'idp', scopes: 'openid profile email offline_access' });
      assert.ok(!(await host.directMessages(host.admin)).some((m) => m.includes(credential)), 'no DM holds it');
      const list = await host.mm.execute(host.admin, 'client list');
      assert.match(list.text, /Issue Bot \(`issue-bot`\)/);
      assert.ok(!list.text.includes(credential));
      const stored = await host.service.standalone!.database.db.selectFrom('token_clients').selectAll().execute();
      assert.ok(
        stored.every((row) => !JSON.stringify(row).includes(credential)),
        'the credential itself is not stored',
      );
    });

    it("when another user submits the admin's client dialog, then it is refused and nothing is stored", async () => {
      const outcome = await host.mm.execute(host.admin, 'client add');
      const form = host.dialogForm(bob, outcome.dialog!);
      await form.fill({ name: 'Sneaky', providers: 'idp' });
      const answer = await form.submit();
      assert.equal(answer.kind, 'error');
      assert.match(answer.text, /opened for another user/);
      assert.equal(await host.service.standalone!.repositories.tokenClients.get('sneaky'), undefined);
    });

    it('when the client asks for a user who is not connected, then not_connected, and a connect request DMs the user their link', async () => {
      const refused = await token(alice);
      assert.deepEqual([refused.status, refused.body.error], [404, 'not_connected']);
      const asked = await api('/connect-request', `Bearer ${credential}`, { user_id: alice.id, provider: 'idp' });
      assert.deepEqual([asked.status, asked.body.status], [202, 'requested']);
      const dm = (await host.directMessages(alice)).at(-1) ?? '';
      assert.match(dm, /\*\*Issue Bot\*\* asks you to connect your \*\*Test IdP\*\* account/);
      assert.match(dm, /\/standalone\/connect\?/);
      const again = await api('/connect-request', `Bearer ${credential}`, { user_id: alice.id, provider: 'idp' });
      assert.deepEqual([again.status, again.body.status], [200, 'pending'], 'no second DM right away');
    });

    it('when a connected user has not consented, then consent_required; the consent DM names client, provider and scopes', async () => {
      assert.ok((await connectUser(host, alice, 'alice-at-idp')).completed);
      assert.ok((await connectUser(host, bob, 'bob-at-idp')).completed);
      const refused = await token(alice);
      assert.deepEqual([refused.status, refused.body.error], [403, 'consent_required']);
      const asked = await api('/consent-request', `Bearer ${credential}`, { user_id: alice.id, provider: 'idp' });
      assert.deepEqual([asked.status, asked.body.status], [202, 'requested']);
      const dm = (await host.directMessages(alice)).at(-1) ?? '';
      assert.match(dm, /\*\*Issue Bot\*\* asks to use your \*\*Test IdP\*\* account with the scopes `openid` `profile` `email` `offline_access`/);
    });

    // Only the fake lets a test read a button's context (Mattermost keeps it from every client): the forgeries need it.
    const onFake = process.env.SCENARIO_BACKEND === 'real' ? () => undefined : it;
    onFake("when someone else clicks, or the button's context is forged or tampered, then nothing is granted", async () => {
      const context = consentContext(alice);
      assert.match((await postAction(carol.id, context)).ephemeral_text ?? '', /sent to another user/);
      const raw = String(context.consent);
      const [v, payload = '', mac] = raw.split('.');
      const fields = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
      fields[0] = carol.id;
      const retargeted = `${v}.${Buffer.from(JSON.stringify(fields)).toString('base64url')}.${mac}`;
      assert.match((await postAction(carol.id, { consent: retargeted })).ephemeral_text ?? '', /not one the service sent/);
      assert.match((await postAction(alice.id, { consent: tampered(raw) })).ephemeral_text ?? '', /not one the service sent/);
      assert.match((await postAction(alice.id, {})).ephemeral_text ?? '', /not one the service sent/);
      assert.equal((await token(alice)).body.error, 'consent_required');
    });

    it('when the user clicks Allow, then the client gets a token that works at the userinfo endpoint, never the refresh token; a replayed click is refused', async () => {
      const deny = fake() && consentContext(alice, 'Deny');
      const clicked = await host.mm.clickButton(alice, 'Allow');
      assert.match(clicked.message, /You allowed \*\*Issue Bot\*\* to use your \*\*Test IdP\*\* account/);
      const issued = await token(alice);
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      assert.deepEqual(Object.keys(issued.body).sort(), ['access_token', 'expires_at', 'scope', 'token_type']);
      assert.equal(issued.headers.get('cache-control'), 'no-store');
      const userinfo = await fetch(`${host.provider.issuer}/me`, { headers: { authorization: `Bearer ${String(issued.body.access_token)}` } });
      assert.equal(userinfo.status, 200);
      assert.equal(((await userinfo.json()) as { sub: string }).sub, 'alice-at-idp');
      if (deny) {
        const replay = await postAction(alice.id, deny);
        assert.ok(replay.ephemeral_text, 'the used request cannot be answered again');
        assert.equal((await token(alice)).status, 200, 'a replayed Deny changed nothing');
      }
      const status = await host.mm.execute(alice, 'status');
      assert.match(status.text, /Integrations you allowed[\s\S]*\*\*Issue Bot\*\* \(`issue-bot`\) may use your `idp` account/);
      const typed = new TokenApiClient({ baseUrl: host.rootUrl, credential });
      const viaClient = await typed.getToken(alice.id, 'idp');
      issuedTokens.push(viaClient.access_token);
      assert.equal(viaClient.access_token, issued.body.access_token, 'the typed client reads the same answer');
      await assert.rejects(
        typed.getToken(alice.id, 'other'),
        (err: unknown) => err instanceof TokenApiError && err.code === 'provider_not_allowed' && err.status === 403,
      );
      assert.deepEqual(await typed.requestConsent(alice.id, 'idp'), { status: 'granted' });
      assert.deepEqual(await typed.requestConnect(alice.id, 'idp'), { status: 'connected' });
      const basic = Buffer.from(`issue-bot:${credential}`).toString('base64');
      assert.equal((await api('/token', `Basic ${basic}`, { user_id: alice.id, provider: 'idp' })).status, 200, 'Basic works too');
    });

    it('when the client asks beyond what it may, then each request is refused with its code', async () => {
      const cases: Array<[ApiAnswer, number, string]> = [
        [await token(alice, 'idp', credential, { scope: 'openid admin' }), 403, 'scope_not_allowed'],
        [await token(alice, 'other'), 403, 'provider_not_allowed'],
        [await token(alice, 'idp', `o2c_${'A'.repeat(43)}`), 401, 'invalid_client'],
        [await api('/token', '', { user_id: alice.id, provider: 'idp' }), 401, 'invalid_client'],
        [
          await api('/token', `Basic ${Buffer.from(`other-id:${credential}`).toString('base64')}`, { user_id: alice.id, provider: 'idp' }),
          401,
          'invalid_client',
        ],
        [await api('/token', `Bearer ${credential}`, { user_id: 'nobody', provider: 'idp' }), 400, 'invalid_request'],
        [await token(bob), 403, 'consent_required'],
      ];
      for (const [answer, status, code] of cases) assert.deepEqual([answer.status, answer.body.error], [status, code], JSON.stringify(answer.body));
      for (const path of ['/api/v1/token', CONSENT_URL_PATH]) {
        const res = await fetch(`${host.rootUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${credential}` }, body: '{"user_id": ' });
        const text = await res.text();
        assert.equal(res.status, 400, `${path}: malformed JSON`);
        assert.doesNotMatch(text, /at .*\.(js|ts):\d+|SyntaxError/, 'no stack trace');
      }
    });

    it('when a client is allowed fewer scopes than the user connected with, then it gets no token (a token cannot be narrowed)', async () => {
      const narrow = await addClient({ name: 'Narrow', providers: 'idp', scopes: 'openid' });
      await api('/consent-request', `Bearer ${narrow}`, { user_id: alice.id, provider: 'idp' });
      await host.mm.clickButton(alice, 'Allow');
      const refused = await token(alice, 'idp', narrow);
      assert.deepEqual([refused.status, refused.body.error], [403, 'scope_not_allowed']);
    });

    /** Moves the service's clock to 30 s before the user's token expires (inside the refresh margin). */
    const nearExpiry = async (user: Person) => {
      const current = await token(user);
      host.clock.offsetMs = Number(current.body.expires_at) * 1000 - Date.now() - 30_000;
    };

    it('when 20 requests hit an expiring token at once, then the provider sees exactly one refresh and all get the new token', async () => {
      const before = host.provider.counters.refresh;
      await nearExpiry(alice);
      try {
        const answers = await Promise.all(Array.from({ length: 20 }, () => token(alice)));
        assert.ok(
          answers.every((a) => a.status === 200),
          JSON.stringify(answers.map((a) => a.body.error)),
        );
        assert.equal(host.provider.counters.refresh - before, 1);
        assert.equal(new Set(answers.map((a) => a.body.access_token)).size, 1);
      } finally {
        host.clock.offsetMs = 0;
      }
    });

    // Replicas share a database only on PostgreSQL (a SQLite file belongs to one process).
    const onPostgres = scenarioStorage() === 'postgres' ? it : () => undefined;
    onPostgres('when 50 requests for an expiring token are spread over 3 replicas, then the provider sees exactly one refresh', async () => {
      const replicas = [await host.startReplica(), await host.startReplica()];
      replicaLogs.push(...replicas.map((r) => r.logs));
      const roots = [host.rootUrl, ...replicas.map((r) => r.rootUrl)];
      const before = host.provider.counters.refresh;
      await nearExpiry(alice);
      try {
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) => api('/token', `Bearer ${credential}`, { user_id: alice.id, provider: 'idp' }, roots[i % roots.length])),
        );
        assert.ok(
          answers.every((a) => a.status === 200),
          JSON.stringify(answers.map((a) => a.body.error)),
        );
        assert.equal(host.provider.counters.refresh - before, 1);
        assert.equal(new Set(answers.map((a) => a.body.access_token)).size, 1);
      } finally {
        host.clock.offsetMs = 0;
      }
    });

    it('when a consent button is clicked after it expired, then nothing is granted', async () => {
      const asked = await api('/consent-request', `Bearer ${credential}`, { user_id: bob.id, provider: 'idp' });
      assert.equal(asked.body.status, 'requested', JSON.stringify(asked.body));
      host.clock.offsetMs = 25 * 3600 * 1000;
      try {
        const clicked = await host.mm.clickButton(bob, 'Allow');
        assert.match(clicked.ephemeral ?? '', /expired/);
      } finally {
        host.clock.offsetMs = 0;
      }
      assert.equal((await token(bob)).body.error, 'consent_required');
    });

    it('when the user revokes the grant, then the next request is refused; disconnecting ends the grants', async () => {
      const revoked = await host.mm.execute(alice, 'grants revoke issue-bot');
      assert.match(revoked.text, /Revoked: \*\*Issue Bot\*\* can no longer use your `idp` account/);
      assert.equal((await token(alice)).body.error, 'consent_required');
      await api('/consent-request', `Bearer ${credential}`, { user_id: bob.id, provider: 'idp' });
      host.clock.offsetMs = 11 * 60 * 1000;
      try {
        await api('/consent-request', `Bearer ${credential}`, { user_id: bob.id, provider: 'idp' });
      } finally {
        host.clock.offsetMs = 0;
      }
      await host.mm.clickButton(bob, 'Allow');
      assert.equal((await token(bob)).status, 200);
      await host.mm.execute(bob, 'disconnect idp');
      assert.equal((await token(bob)).body.error, 'not_connected');
      assert.ok((await connectUser(host, bob, 'bob-at-idp')).completed);
      assert.equal((await token(bob)).body.error, 'consent_required', 'a reconnect asks for consent again');
      const entries = await host.service.standalone!.repositories.auditLog.recent({ target: 'client:issue-bot', limit: 10 });
      assert.deepEqual(
        entries.filter((e) => e.action === 'grant.revoke').map((e) => [e.actor_user_id, e.outcome, e.detail]),
        [
          [bob.id, 'ok', 'provider idp; ended by disconnect'],
          [alice.id, 'ok', 'provider idp; revoked'],
        ],
        'the revoke and the grant the disconnect ended are audit entries, newest first',
      );
    });

    it("when an admin lists a user's grants and the report, then clients, grants and last use are shown", async () => {
      const grants = await host.mm.execute(host.admin, `client grants ${alice.id}`);
      assert.match(grants.text, /Narrow \| `idp`/);
      const report = await host.mm.execute(host.admin, 'report');
      assert.match(report.text, /Token API clients[\s\S]*Issue Bot \(`issue-bot`\) \| \d+ \| \d{4}-/);
    });

    it('when a client calls from an address it may not, or faster than its rate, then invalid_client and rate_limited', async () => {
      const fenced = await addClient({ name: 'Fenced', providers: 'idp', sources: '10.0.0.0/8' });
      const far = await token(alice, 'idp', fenced);
      assert.deepEqual([far.status, far.body.error], [401, 'invalid_client']);
      const slow = await addClient({ name: 'Slow', providers: 'idp', rate_per_minute: '3' });
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await token(alice, 'idp', slow));
      assert.deepEqual(
        answers.map((a) => a.body.error),
        ['consent_required', 'consent_required', 'consent_required', 'rate_limited'],
      );
      assert.equal(answers[3]?.status, 429);
      assert.ok(Number(answers[3]?.headers.get('retry-after')) >= 1);
      const typed = new TokenApiClient({ baseUrl: host.rootUrl, credential: slow });
      await assert.rejects(
        typed.getToken(alice.id, 'idp'),
        (err: unknown) => err instanceof TokenApiError && err.code === 'rate_limited' && (err.retryAfterSeconds ?? 0) >= 1,
      );
    });

    it('when the admin rotates the credential, then the old one is refused and the new one works; a removed client is refused', async () => {
      const outcome = await host.mm.execute(host.admin, 'client rotate issue-bot');
      const form = host.dialogForm(host.admin, outcome.dialog!);
      const unconfirmed = await form.submit();
      assert.equal(unconfirmed.kind, 'error');
      await form.fill({ confirm: true });
      assert.equal((await form.submit()).kind, 'form');
      const rotated = CREDENTIAL.exec(form.notes)?.[0] ?? '';
      credentials.push(rotated);
      assert.notEqual(rotated, credential);
      assert.equal((await token(bob, 'idp', rotated)).body.error, 'consent_required', 'the new one authenticates');
      assert.equal((await token(bob, 'idp', credential)).body.error, 'invalid_client');
      await removeClient('issue-bot');
      assert.equal((await token(bob, 'idp', rotated)).body.error, 'invalid_client');
    });

    it("when the admin removes a client and registers one of the same name, then an Allow on the removed one's request grants nothing", async () => {
      const values = { name: 'Relay Bot', providers: 'idp', scopes: 'openid profile email offline_access' };
      const removed = await addClient(values);
      const asked = await api('/consent-request', `Bearer ${removed}`, { user_id: bob.id, provider: 'idp' });
      assert.deepEqual([asked.status, asked.body.status], [202, 'requested']);
      await removeClient('relay-bot');
      const registered = await addClient(values);
      assert.ok(await host.service.standalone!.repositories.tokenClients.get('relay-bot'), 'the same id, registered again');
      const clicked = await host.mm.clickButton(bob, 'Allow');
      assert.match(clicked.ephemeral ?? '', /This integration was removed; nothing was changed\./);
      assert.equal(await host.service.standalone!.repositories.tokenClients.getGrant(bob.id, 'relay-bot', 'idp'), undefined);
      assert.equal((await token(bob, 'idp', registered)).body.error, 'consent_required');
    });

    it('when the client typed a credential in the command, then it is refused', async () => {
      const outcome = await host.mm.execute(host.admin, `client rotate ${credentials[0]}`);
      assert.match(outcome.text, /cannot be typed in the command/);
      assert.equal(outcome.dialog, undefined);
    });

    it('then no log line holds a credential or a token, and each token request is one line naming client, user, provider and outcome', () => {
      const secrets = [
        ...credentials,
        ...issuedTokens,
        ...host.secrets,
        ...host.provider.issued.flatMap((t) => [t.access_token, t.refresh_token ?? []].flat()),
      ];
      const logs = [...host.logs, ...replicaLogs.flat()];
      for (const secret of secrets) assert.ok(!logs.some((line) => line.includes(secret)), 'a secret reached the log');
      const lines = host.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'token request');
      assert.ok(lines.some((l) => l.client === 'issue-bot' && l.user === alice.id && l.provider === 'idp' && l.outcome === 'issued'));
      assert.ok(lines.some((l) => l.outcome === 'consent_required'));
      assert.ok(lines.some((l) => l.outcome === 'invalid_client'));
    });
  });
}
