/**
 * Every TypeScript example of the documents compiles under strict TypeScript
 * against the packages and runs: a plain block as it is, a driven block's
 * exported functions called as an App's routes would call them, against a
 * real oidc-provider (the engine), the in-process Apps plugin (the driver) and
 * a real standalone service serving the token API (the token client).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { docExamples, type DocExample } from '../../../scripts/doc_examples.mjs';
import { startFakePlugin, type FakePlugin } from '../../support/fake_plugin/server.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { startTokenApiWorld, subjectOf, walkUserThrough, type TokenApiWorld } from './token_api_examples.js';

const root = resolve(import.meta.dirname, '../../..');
// Inside the repository, so the examples resolve the packages as the service does (tsconfig paths, node_modules).
const out = join(root, 'test-artifacts', 'docs-examples');
const examples = docExamples(root);
const fileOf = (example: DocExample) => join(out, `${example.name}.ts`);
const where = (example: DocExample) => `${example.doc}:${example.line}`;

/** What an App developer's strict project would say about the examples. */
function typeErrors(files: string[]): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    skipLibCheck: true,
    paths: {
      '@oauth2-connect/engine': [join(root, 'packages/engine/src/index.ts')],
      '@oauth2-connect/driver': [join(root, 'packages/driver/src/index.ts')],
      '@oauth2-connect/token-client': [join(root, 'packages/token-client/src/index.ts')],
    },
  };
  const program = ts.createProgram(files, options);
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  return ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, host).trim());
}

describe('the examples of the documents', () => {
  let op: StartedOidcProvider;
  let plugin: FakePlugin;
  let tokenApi: Promise<TokenApiWorld> | undefined;
  const REDIRECT_URI = 'http://127.0.0.1:9/docs-callback';

  before(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const example of examples) writeFileSync(fileOf(example), `// ${where(example)}\n${example.code}`);
    op = await startOidcProvider({ redirectUris: [REDIRECT_URI] });
    plugin = await startFakePlugin();
  });
  after(async () => {
    await op.close();
    await plugin.close();
    await (await tokenApi)?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('when the documents are read, then the README, docs/engine.md, docs/token-api.md and each package README hold examples of both kinds', () => {
    const docs = new Set(examples.map((e) => e.doc));
    for (const doc of [
      'README.md',
      'docs/engine.md',
      'docs/token-api.md',
      'packages/engine/README.md',
      'packages/driver/README.md',
      'packages/token-client/README.md',
    ])
      assert.ok(docs.has(doc), `${doc} has no ts example`);
    assert.ok(examples.some((e) => e.mode === 'run') && examples.some((e) => e.mode === 'driven'));
  });

  it('when every example is compiled strictly against the packages, then there is no error', () => {
    assert.deepEqual(typeErrors(examples.map(fileOf)), []);
  });

  it('when an example has a type error, then the check reports it (the check can fail)', () => {
    const broken = join(out, 'broken.ts');
    writeFileSync(broken, "import { provider } from '@oauth2-connect/engine';\nprovider({ preset: 'github' });\n");
    const errors = typeErrors([broken]);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /client_id/);
  });

  for (const example of examples.filter((e) => e.mode === 'run')) {
    it(`when the example at ${where(example)} runs as it is, then it finishes without error`, async () => {
      await import(pathToFileURL(fileOf(example)).href);
    });
  }

  /** The walkthrough of the engine: a user connects, gets a refreshed token, disconnects. */
  async function driveConnection(mod: Record<string, unknown>): Promise<void> {
    const app = mod as {
      startConnection(userId: string): Promise<string>;
      finishConnection(userId: string, callbackUrl: string): Promise<string>;
      accessToken(userId: string): Promise<string>;
      disconnect(userId: string): Promise<boolean>;
    };
    // Issued tokens last 30 s: within the example's one-minute margin, so the first use refreshes.
    op.setAccessTokenTtl(30);
    op.resetCounters();
    const url = await app.startConnection('u1');
    const params = await op.authorize(url, { login: 'erin' });
    assert.equal(await app.finishConnection('u1', `${REDIRECT_URI}?${new URLSearchParams(params)}`), 'erin');
    await assert.rejects(app.finishConnection('u1', `${REDIRECT_URI}?${new URLSearchParams(params)}`), /No connection was started/);
    const token = await app.accessToken('u1');
    assert.equal(op.counters.refresh, 1, 'the short-lived token was refreshed');
    assert.equal(token, op.issued.at(-1)?.access_token);
    assert.equal(await app.disconnect('u1'), true);
    assert.equal(op.counters.revocation > 0, true);
    await assert.rejects(app.accessToken('u1'), /Not connected/);
  }

  /** The driver's call handler, with the tokens the Apps plugin would expand. */
  async function driveCall(mod: Record<string, unknown>): Promise<void> {
    type Handler = (request: unknown, ...rest: string[]) => Promise<{ type: string; text?: string }>;
    const { handleCall, saveOAuth2App } = mod as { handleCall: Handler; saveOAuth2App: Handler };
    const bot = plugin.state.addUser('docs-bot', 'system_user', true);
    const user = plugin.addUser('frank');
    const call = (acting: string, extra: Record<string, string> = {}) => ({
      path: '/docs',
      context: { mattermost_site_url: plugin.siteUrl, acting_user_access_token: plugin.state.issueAppToken(acting, false), ...extra },
    });
    assert.deepEqual(await handleCall(call(user.id, { bot_access_token: plugin.state.issueAppToken(bot.id, true) })), {
      type: 'ok',
      text: 'stored: true, theme: dark',
    });
    assert.equal((await handleCall(call(user.id))).type, 'error', 'without the bot token the handler says so');
    assert.deepEqual(await saveOAuth2App(call(user.id), 'id', 'secret'), { type: 'error', text: 'Only a system admin can do this.' });
    assert.deepEqual(await saveOAuth2App(call(plugin.admin.id), 'id', 'secret'), { type: 'ok', text: 'Saved.' });
    assert.equal(plugin.state.oauth2App?.client_id, 'id');
  }

  /** The token client's short example: null while the user is asked to connect, then to allow; then their own token. */
  async function driveTokenFunction(mod: Record<string, unknown>, world: TokenApiWorld): Promise<void> {
    const { githubToken } = mod as { githubToken(userId: string): Promise<string | null> };
    const [unconnected, unconsented, token] = await walkUserThrough(world, 'gina', (user) => githubToken(user.id));
    assert.deepEqual([unconnected, unconsented], [null, null]);
    assert.ok(token);
    assert.equal(await subjectOf(world, token), 'gina-at-github');
  }

  /** The example bot, as Mattermost calls it: the slash command's form, with its token, for a user connecting and allowing it. */
  async function driveIssuesBot(mod: Record<string, unknown>, world: TokenApiWorld): Promise<void> {
    const { server } = mod as { server: Server };
    if (!server.listening) await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/myissues`;
      const command = async (userId: string, token = world.env.MYISSUES_COMMAND_TOKEN!) => {
        const res = await fetch(url, { method: 'POST', body: new URLSearchParams({ token, user_id: userId, command: '/myissues', text: '' }) });
        return { status: res.status, body: res.status === 200 ? ((await res.json()) as { response_type: string; text: string }) : undefined };
      };
      const answers = await walkUserThrough(world, 'hank', async (user) => {
        assert.equal((await command(user.id, 'x'.repeat(26))).status, 401, 'a request without our command token is refused');
        const answer = await command(user.id);
        assert.equal(answer.body?.response_type, 'ephemeral');
        return answer.body?.text ?? '';
      });
      assert.match(answers[0], /^Connect your GitHub account first/);
      assert.match(answers[1], /Click Allow, then run `\/myissues` again/);
      assert.match(answers[2], /^- \[Issue of hank-at-github\]\(https:\/\/github\.example\.com\/hank-at-github\/issues\/1\)$/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  /** The standalone service the token API examples call, started by the first of them. */
  async function tokenApiWorld(): Promise<TokenApiWorld> {
    tokenApi ??= startTokenApiWorld();
    const world = await tokenApi;
    Object.assign(process.env, world.env);
    return world;
  }

  for (const example of examples.filter((e) => e.mode === 'driven')) {
    it(`when the functions of the example at ${where(example)} are called as an App would, then they do what the document says`, async () => {
      process.env.OIDC_ISSUER = op.issuer;
      process.env.OIDC_CLIENT_ID = op.clients.basic.client_id;
      process.env.OIDC_CLIENT_SECRET = op.clients.basic.client_secret;
      process.env.OIDC_REDIRECT_URI = REDIRECT_URI;
      process.env.OIDC_ALLOW_PRIVATE_NETWORK = 'true';
      const usesTokenApi = example.code.includes("from '@oauth2-connect/token-client'");
      const world = usesTokenApi ? await tokenApiWorld() : undefined;
      const mod = (await import(pathToFileURL(fileOf(example)).href)) as Record<string, unknown>;
      if ('startConnection' in mod) await driveConnection(mod);
      else if ('handleCall' in mod) await driveCall(mod);
      else if (world && 'githubToken' in mod) await driveTokenFunction(mod, world);
      else if (world && 'myIssues' in mod) await driveIssuesBot(mod, world);
      else assert.fail(`${where(example)} is marked driven but exports none of startConnection, handleCall, githubToken or myIssues`);
    });
  }
});
