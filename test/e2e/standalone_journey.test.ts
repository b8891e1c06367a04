// The standalone journey on a real Mattermost with no Apps plugin, through the
// real service (startService: SQL storage, the bound sealer, the router), on
// SQLite and on PostgreSQL: setup, a provider, a user connecting in Chromium
// through Sign in with Mattermost and oidc-provider, a link opened by another
// user, forged commands and dialog submissions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import type { RunningService } from '../../src/service.js';
import { createStandaloneTables } from '../../src/hosts/standalone/http/router.js';
import { registerUserSubcommands } from '../../src/hosts/standalone/commands/core_commands.js';
import { standaloneClientSecretBinding } from '../../src/hosts/standalone/service/sealer.js';
import { signDialogState } from '../../src/hosts/standalone/dialogs/state.js';
import { toProviderConfig } from '../../src/core/provider_records.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import { passProviderPages } from '../support/browser.js';
import { ensureBuilt } from './harness/build.js';
import { addLoginCookies, launchBrowser } from './harness/browser.js';
import * as mm from './harness/mm_api.js';
import { startStandaloneService, type StandaloneService } from './harness/standalone_service.js';
import { startStandaloneWorld, type StandaloneWorld } from './harness/standalone_world.js';

const PROVIDER = 'idp';
/** Subcommands wired into the standalone host so far (as the service wires them); a step whose subcommand is missing is skipped and says so. */
const SUBCOMMANDS = createStandaloneTables().subcommands;
registerUserSubcommands(SUBCOMMANDS, loadConfig({}));

describe('the standalone journey against a real Mattermost (no Apps plugin)', { timeout: 15 * 60_000 }, () => {
  let w: StandaloneWorld;
  let bob: mm.Session;
  let browser: Browser;

  before(async () => {
    w = await startStandaloneWorld(await ensureBuilt());
    const bobUser = await mm.createUser(w.admin.client, 'bob');
    for (const team of w.teams) await mm.addToTeam(w.admin.client, team.id, bobUser.id);
    bob = await mm.login(w.server.directUrl, 'bob');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await w?.stop();
  });

  for (const backend of ['sqlite', 'postgres'] as const) {
    describe(`on ${backend}`, () => {
      let running: StandaloneService;
      let service: RunningService;
      let root: string;
      let op: StartedOidcProvider;

      before(async () => {
        running = await startStandaloneService(w, backend);
        ({ service, root } = running);
        op = await startOidcProvider({ redirectUris: [`${root}/standalone/complete/${PROVIDER}`] });
        if (SUBCOMMANDS.has('provider')) {
          // The admin registers it with typed arguments, as typed in Mattermost (POST /api/v4/commands/execute).
          const args = `--preset oidc --id ${PROVIDER} --display_name "Test IdP" --issuer ${op.issuer} --client_id ${op.clients.post.client_id} --client_secret ${op.clients.post.client_secret} --auth client_secret_post`;
          const answer = await execute(w.admin, `provider add ${args}`);
          assert.match(answer.text, /Registered \*\*Test IdP\*\*/, answer.text);
        } else {
          // Without the admin's `/oauth2 provider add` on this branch the provider is stored through the repository.
          await storeProviderDirectly();
        }
      });
      after(async () => {
        await op?.close();
        await running?.close();
      });

      async function storeProviderDirectly(): Promise<void> {
        const bare = {
          id: PROVIDER,
          display_name: 'Test IdP',
          preset: 'oidc' as const,
          issuer: op.issuer,
          client_id: op.clients.post.client_id,
          auth: 'client_secret_post' as const,
          scopes: ['openid', 'profile', 'email'],
          created_at: Date.now(),
          updated_at: Date.now(),
        };
        const sealer = service.standalone!.deps!.sealer;
        const sealed = sealer.seal(op.clients.post.client_secret!, standaloneClientSecretBinding(toProviderConfig(bare, undefined)));
        await service.standalone!.repositories.providers.save({ ...bare, sealed_secret: sealed });
      }

      const connectionOf = (userId: string) => service.standalone!.repositories.connections.get(userId, PROVIDER);

      async function execute(session: mm.Session, text: string): Promise<{ text: string }> {
        const team = w.teams[0]!;
        const channel = await session.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`);
        return session.client.json<{ text: string }>('POST', '/api/v4/commands/execute', {
          command: `/oauth2 ${text}`,
          channel_id: channel.id,
          team_id: team.id,
        });
      }

      async function linkFor(session: mm.Session): Promise<string> {
        const answer = await execute(session, `connect ${PROVIDER}`);
        const link = /\((http:[^)]+)\)/.exec(answer.text)?.[1];
        assert.ok(link?.startsWith(`${root}/standalone/connect?l=`), answer.text);
        return link!;
      }

      async function visit(session: mm.Session, url: string, login: string): Promise<string> {
        const context: BrowserContext = await browser.newContext();
        try {
          await addLoginCookies(context, w.server.url, session);
          const page = await context.newPage();
          await page.goto(url);
          await passProviderPages(page, login, op.issuer);
          await page.waitForLoadState('domcontentloaded');
          return (await page.textContent('body')) ?? '';
        } finally {
          await context.close();
        }
      }

      it(
        'when a non-admin runs /oauth2 provider add, then it is refused and the provider is unchanged',
        { skip: !SUBCOMMANDS.has('provider') && 'no provider subcommand on this branch' },
        async () => {
          const before = await service.standalone!.repositories.providers.get(PROVIDER);
          const answer = await execute(bob, `provider add --preset oidc --id evil --issuer ${op.issuer} --client_id x --client_secret y`);
          assert.doesNotMatch(answer.text, /Registered/, answer.text);
          assert.equal(await service.standalone!.repositories.providers.get('evil'), undefined);
          assert.deepEqual(await service.standalone!.repositories.providers.get(PROVIDER), before);
        },
      );

      it('when a command comes with no token or a wrong one, then the service answers 401 and nothing is stored', async () => {
        const form = {
          team_id: w.teams[0]!.id,
          user_id: w.alice.user.id,
          user_name: 'alice',
          command: '/oauth2',
          text: `connect ${PROVIDER}`,
          channel_id: 'c'.repeat(26),
        };
        const post = (fields: Record<string, string>) => fetch(`${root}/standalone/command`, { method: 'POST', body: new URLSearchParams(fields) });
        assert.equal((await post(form)).status, 401);
        assert.equal((await post({ ...form, token: 'x'.repeat(26) })).status, 401);
        assert.equal(await connectionOf(w.alice.user.id), undefined);
      });

      it('when a dialog submission carries a forged state, then it is refused and nothing is stored', async () => {
        const res = await fetch(`${root}/standalone/dialog`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'dialog_submission',
            callback_id: 'connect.choose',
            state: 'forged',
            user_id: w.alice.user.id,
            team_id: w.teams[0]!.id,
            channel_id: 'c'.repeat(26),
            submission: { provider: PROVIDER },
          }),
        });
        const body = (await res.json()) as { error?: string };
        assert.ok(body.error, JSON.stringify(body));
        assert.equal(await connectionOf(w.alice.user.id), undefined);
      });

      it("when a dialog submission carries alice's real state but bob's user id, or an expired state, then it is refused and nothing is stored", async () => {
        const deps = service.standalone!.deps!;
        const submit = (userId: string, state: string) =>
          fetch(`${root}/standalone/dialog`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              type: 'dialog_submission',
              callback_id: 'connect.choose',
              state,
              user_id: userId,
              team_id: w.teams[0]!.id,
              channel_id: 'c'.repeat(26),
              submission: { provider: PROVIDER },
            }),
          }).then((r) => r.json() as Promise<{ error?: string; text?: string }>);
        const alices = signDialogState(deps.dialogKey, { user_id: w.alice.user.id, purpose: 'connect.choose', target: '' }, Date.now());
        assert.ok((await submit(bob.user.id, alices)).error, 'another user');
        const expired = signDialogState(deps.dialogKey, { user_id: w.alice.user.id, purpose: 'connect.choose', target: '' }, Date.now() - 60 * 60_000);
        assert.ok((await submit(w.alice.user.id, expired)).error, 'expired');
        assert.equal(await connectionOf(bob.user.id), undefined);
        assert.equal(await connectionOf(w.alice.user.id), undefined);
      });

      it("when bob opens alice's link, then he is refused with a clear page and nothing is stored", async () => {
        const text = await visit(bob, await linkFor(w.alice), 'bob-op');
        assert.doesNotMatch(text, /Connected as/);
        assert.match(text, /another|not for you|different/i, text);
        assert.equal(await connectionOf(bob.user.id), undefined);
        assert.equal(await connectionOf(w.alice.user.id), undefined);
      });

      it('when alice runs /oauth2 connect and follows the link, then Sign in with Mattermost (trusted, no consent) and the provider connect her', async () => {
        const text = await visit(w.alice, await linkFor(w.alice), 'alice-op');
        assert.match(text, /Connected as alice-op\.\s*You can close this window\./, text);
        const row = await connectionOf(w.alice.user.id);
        assert.equal(row?.connection.sub, 'alice-op');
        assert.equal(op.counters.code, 1);
        assert.equal(await connectionOf(bob.user.id), undefined);
      });

      const need = (sub: string) => ({ skip: SUBCOMMANDS.has(sub) ? false : `/oauth2 ${sub} is not wired into the standalone host on this branch` });

      it('when alice runs /oauth2 status and whoami, then they show her account at the provider', need('whoami'), async () => {
        const status = await execute(w.alice, 'status');
        assert.match(status.text, /Test IdP/, status.text);
        assert.match(status.text, /alice-op/, status.text);
        const whoami = await execute(w.alice, `whoami ${PROVIDER}`);
        assert.match(whoami.text, /alice-op/, whoami.text);
        assert.ok(op.counters.userinfo >= 1);
      });

      it("when bob runs disconnect, then alice's connection stays", need('disconnect'), async () => {
        const answer = await execute(bob, `disconnect ${PROVIDER}`);
        assert.doesNotMatch(answer.text, /^Disconnected/, answer.text);
        assert.ok(await connectionOf(w.alice.user.id));
        const status = await execute(bob, 'status');
        assert.doesNotMatch(status.text, /alice-op/, status.text);
      });

      it('when alice disconnects, then the token is revoked at the provider and the row is deleted', need('disconnect'), async () => {
        const revocations = op.counters.revocation;
        const answer = await execute(w.alice, `disconnect ${PROVIDER}`);
        assert.ok(answer.text.length > 0);
        assert.equal(await connectionOf(w.alice.user.id), undefined);
        assert.ok(op.counters.revocation > revocations, `revocation requests: ${op.counters.revocation}`);
      });
    });
  }
});
