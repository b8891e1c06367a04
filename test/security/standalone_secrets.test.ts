/**
 * The standalone host's secret scan: a whole journey (an admin registers a
 * provider through the dialog with its client secret, a user connects in
 * Chromium through Sign in with Mattermost and a real oidc-provider, the
 * token is refreshed, the user disconnects with revocation) and then every
 * place a secret could surface is searched for every secret of the run:
 * log lines, command and dialog answers, the service's pages (and redirect
 * targets), the bot's posts, the dialogs sent to Mattermost and the
 * response_url posts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, passProviderPages } from '../support/browser.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import type { FakeUser } from '../support/standalone/fake_mattermost.js';
import type { StandaloneWorld } from '../support/standalone/world.js';
import { startServiceWorld } from './support/standalone_service_world.js';
import { standaloneKeys } from '../../src/hosts/standalone/deps.js';
import { SecretAudit } from './support/audit.js';

const PROVIDER = 'idp';

describe('standalone host: no secret in a log line, an answer, a page or a post', () => {
  let world: StandaloneWorld;
  let op: StartedOidcProvider;
  let browser: Browser;
  let admin: FakeUser;
  let alice: FakeUser;
  const audit = new SecretAudit();
  /** Everything the service said, to Mattermost, the browser or its log, by where it was said. */
  const surfaces: Array<{ where: string; text: string }> = [];

  before(async () => {
    world = await startServiceWorld();
    op = await startOidcProvider({ redirectUris: [`${world.rootUrl}/standalone/complete/${PROVIDER}`] });
    browser = await launchBrowser();
    admin = world.mm.addUser('root', 'system_user system_admin');
    alice = world.mm.addUser('alice');
  });
  after(async () => {
    await browser?.close();
    await op?.close();
    await world?.close();
  });

  async function command(user: FakeUser, text: string): Promise<string> {
    const res = await world.command(user, text);
    const body = await res.text();
    surfaces.push({ where: `answer to /oauth2 ${text.split(' ').slice(0, 2).join(' ')}`, text: body });
    assert.equal(res.status, 200, body);
    return body;
  }

  async function tokensOfAlice(): Promise<void> {
    const row = await world.stores.connections.get(alice.id, PROVIDER);
    assert.ok(row, 'alice is connected');
    audit.add(row.tokens.access_token, row.tokens.refresh_token, row.tokens.id_token);
  }

  /** Follows alice's link in Chromium; every page of the service (and each redirect's target) is kept. */
  async function connectInChromium(link: string): Promise<string> {
    const context = await browser.newContext();
    const reads: Promise<void>[] = [];
    try {
      await context.addCookies([{ name: 'MMAUTHTOKEN', value: alice.id, url: world.mm.url }]);
      const page = await context.newPage();
      page.on('response', (r) => {
        if (!r.url().startsWith(world.rootUrl)) return;
        const where = `page ${new URL(r.url()).pathname}`;
        surfaces.push({ where: `${where} (URL and Location)`, text: `${r.url()} ${r.headers().location ?? ''}` });
        reads.push(
          r.text().then(
            (text) => void surfaces.push({ where, text }),
            () => undefined,
          ),
        );
      });
      await page.goto(link);
      await passProviderPages(page, 'alice-op', op.issuer);
      await page.waitForLoadState('domcontentloaded');
      const text = (await page.textContent('body')) ?? '';
      // The service's own cookies are secrets too: whoever holds one acts as alice in her flows.
      // (Cookies ignore ports: the fake Mattermost's MMAUTHTOKEN, alice's id, is on 127.0.0.1 too.)
      const own = (await context.cookies()).filter((c) => c.name.startsWith('oauth2_connect_'));
      assert.ok(own.length > 0, 'the service set its session cookie');
      audit.add(...own.map((c) => c.value));
      await Promise.all(reads);
      return text;
    } finally {
      await context.close();
    }
  }

  it('when the whole journey ran, then none of its secrets appears anywhere the service writes', async () => {
    const clientSecret = op.clients.post.client_secret!;
    const { dialogKey, flowKey } = standaloneKeys(world.encryptionKey);
    audit.add(clientSecret, world.mm.botToken, world.commandToken, world.mm.client.secret);
    for (const key of [world.encryptionKey, dialogKey, flowKey]) audit.add(key.toString('base64'), key.toString('base64url'), key.toString('hex'));

    // Typed in the command, the secret is refused (the answer and the log are audited below); in the dialog it is taken.
    assert.match(await command(admin, `provider add --preset oidc --client_secret ${clientSecret}`), /a secret typed there is not private/);
    assert.equal(world.mm.dialogs.length, 0);
    assert.equal(await command(admin, 'provider add'), '{}');
    const opened = world.mm.dialogs.at(-1)?.dialog as { state: string };
    const added = await world.submitDialog({
      callback_id: 'provider.add',
      state: opened.state,
      user_id: admin.id,
      submission: {
        preset: 'oidc',
        id: PROVIDER,
        display_name: 'Test IdP',
        issuer: op.issuer,
        client_id: op.clients.post.client_id,
        client_secret: clientSecret,
        auth: 'client_secret_post',
      },
    });
    surfaces.push({ where: 'answer to the provider.add dialog', text: JSON.stringify(added) });
    assert.deepEqual(added, {});
    for (const text of ['provider list', `provider test ${PROVIDER}`, `provider edit ${PROVIDER}`, 'providers', 'help']) await command(admin, text);

    // Alice connects in Chromium: Sign in with Mattermost, then the provider's login and consent.
    const link = /\((http:[^)]+)\)/.exec(await command(alice, `connect ${PROVIDER}`))?.[1];
    assert.ok(link, 'a connect link');
    assert.match(await connectInChromium(link), /Connected as alice-op/);
    await tokensOfAlice();
    audit.add(...world.mm.accessTokens);
    await command(alice, 'status');
    await command(alice, `whoami ${PROVIDER}`);

    // Her access token expires: the next use refreshes it (rotation: new access and refresh tokens).
    const row = (await world.stores.connections.get(alice.id, PROVIDER))!;
    await world.stores.connections.saveTokens(alice.id, PROVIDER, { ...row.tokens, expires_at: Date.now() - 1000 });
    const refreshes = op.counters.refresh;
    await command(alice, `whoami ${PROVIDER}`);
    assert.equal(op.counters.refresh, refreshes + 1, 'the token was refreshed');
    await tokensOfAlice();
    await command(admin, 'report');

    // She disconnects: the token is revoked at the provider and the bot tells her.
    assert.match(await command(alice, `disconnect ${PROVIDER}`), /Disconnected|disconnected/);
    assert.equal(await world.stores.connections.get(alice.id, PROVIDER), undefined);

    // The bot's DMs are sent in the background: wait for the two (provider registered, connected).
    for (let i = 0; i < 100 && world.mm.posts.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    surfaces.push(
      ...world.logs.map((text) => ({ where: 'log line', text })),
      ...world.mm.posts.map((p) => ({ where: 'bot post', text: p.message })),
      ...world.mm.dialogs.map((d) => ({ where: 'dialog sent to Mattermost', text: JSON.stringify(d) })),
      ...world.mm.hooks.map((h) => ({ where: 'response_url post', text: JSON.stringify(h.body) })),
    );
    // The scan means something only if it can see: every kind of secret is in it, and it finds one planted.
    assert.ok(audit.secrets.size >= 17, `${audit.secrets.size} secrets`);
    assert.equal(audit.leakIn(`x${clientSecret}x`), clientSecret);
    assert.ok(
      surfaces.some((x) => x.where === `page /standalone/complete/${PROVIDER}` && /Connected as alice-op/.test(x.text)),
      'the success page was read',
    );
    assert.ok(world.mm.posts.length >= 2 && world.logs.length >= 1, `${world.mm.posts.length} posts and ${world.logs.length} log lines were written`);
    const leaks = surfaces.flatMap(({ where, text }) => {
      const secret = audit.leakIn(text);
      return secret ? [`${where}: …${text.slice(Math.max(0, text.indexOf(secret) - 80), text.indexOf(secret)).replace(/\s+/g, ' ')}[SECRET]`] : [];
    });
    console.log(
      `[security] standalone journey: ${surfaces.length} texts (${world.logs.length} log lines, ${world.mm.posts.length} posts) scanned for ${audit.secrets.size} secrets: ${leaks.length} leaks`,
    );
    assert.deepEqual(leaks, []);
  });
});
