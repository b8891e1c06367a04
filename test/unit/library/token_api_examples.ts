/**
 * The world the token API's examples run in: a real standalone service (fake
 * Mattermost, SQLite) with the test provider registered as `github`, the
 * examples' integration registered as a client through the admin's dialog, and
 * a stand-in for GitHub's REST API that accepts only a token the provider
 * itself vouches for (its userinfo endpoint). Each driver walks one user
 * through what the document promises: asked to connect, asked to allow, then
 * served with their own token.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectUser, registerTestProvider } from '../../scenarios/host_steps.js';
import type { Person } from '../../scenarios/host.js';
import { scenarioHosts } from '../../scenarios/hosts/index.js';
import type { StandaloneHost } from '../../scenarios/hosts/standalone.js';

const CREDENTIAL = /o2c_[A-Za-z0-9_-]{43}/;
const PROVIDER = 'github';

export interface TokenApiWorld {
  host: StandaloneHost;
  /** What the examples read from their environment. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** `/oauth2 client add` as the admin, the dialog filled and saved: the credential the dialog shows once. */
async function registerClient(host: StandaloneHost): Promise<string> {
  const outcome = await host.mm.execute(host.admin, 'client add');
  assert.ok(outcome.dialog, outcome.text);
  const form = host.dialogForm(host.admin, outcome.dialog);
  await form.fill({ name: 'Issue bot', providers: PROVIDER });
  await form.submit();
  const credential = CREDENTIAL.exec(form.notes)?.[0];
  assert.ok(credential, form.notes);
  await form.submit();
  return credential;
}

/** GET /issues for the bearer of a token the provider's userinfo accepts: one issue named after its subject. */
function startGithubStandIn(issuer: string): Promise<Server> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET' || !req.url?.startsWith('/issues?')) return reply(404, { message: 'Not Found' });
    fetch(`${issuer}/me`, { headers: { authorization: req.headers.authorization ?? '' } }).then(
      async (userinfo) => {
        if (!userinfo.ok) return reply(401, { message: 'Bad credentials' });
        const { sub } = (await userinfo.json()) as { sub: string };
        reply(200, [{ title: `Issue of ${sub}`, html_url: `https://github.example.com/${sub}/issues/1` }]);
      },
      () => reply(502, { message: 'userinfo unreachable' }),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function startTokenApiWorld(): Promise<TokenApiWorld> {
  const [standalone] = scenarioHosts(['standalone']);
  assert.ok(standalone, 'SCENARIO_HOSTS leaves out the standalone host, which serves the token API');
  const host = (await standalone.start()) as StandaloneHost;
  try {
    await registerTestProvider(host, PROVIDER);
    const credential = await registerClient(host);
    const github = await startGithubStandIn(host.provider.issuer);
    const env = {
      OAUTH2_CONNECT_URL: host.rootUrl,
      OAUTH2_CONNECT_CREDENTIAL: credential,
      MYISSUES_COMMAND_TOKEN: randomBytes(13).toString('hex'),
      GITHUB_API_URL: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
      PORT: '0',
    };
    const close = async () => {
      github.closeAllConnections();
      await new Promise((resolve) => github.close(resolve));
      await host.close();
    };
    return { host, env, close };
  } catch (err) {
    await host.close();
    throw err;
  }
}

/** The newest direct message the bot sent the user. */
async function lastDm(world: TokenApiWorld, user: Person): Promise<string> {
  return (await world.host.directMessages(user)).at(-1) ?? '';
}

/**
 * Runs `ask(user)` for a new user three times, as the example's integration
 * would: before they connect (they get a connect DM), after they connected
 * (they get a consent DM, then click Allow), and after that. Returns the three answers.
 */
export async function walkUserThrough<T>(world: TokenApiWorld, name: string, ask: (user: Person) => Promise<T>): Promise<[T, T, T]> {
  const { host } = world;
  const user = await host.createUser(name);
  const unconnected = await ask(user);
  assert.match(await lastDm(world, user), /\*\*Issue bot\*\* asks you to connect your \*\*IdP github\*\* account/);
  assert.ok((await connectUser(host, user, `${name}-at-github`, PROVIDER)).completed);
  const unconsented = await ask(user);
  assert.match(await lastDm(world, user), /\*\*Issue bot\*\* asks to use your \*\*IdP github\*\* account/);
  assert.match((await host.mm.clickButton(user, 'Allow')).message, /You allowed \*\*Issue bot\*\*/);
  return [unconnected, unconsented, await ask(user)];
}

/** The subject the provider's userinfo gives for an access token. */
export async function subjectOf(world: TokenApiWorld, accessToken: string): Promise<string> {
  const res = await fetch(`${world.host.provider.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(res.status, 200, 'the provider accepts the token');
  return ((await res.json()) as { sub: string }).sub;
}
