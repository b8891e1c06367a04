/** Short steps on a SecurityWorld: register, connect, run a command, bounded parallel work. */
import assert from 'node:assert/strict';
import type { CallResponse } from '../../../src/hosts/apps/protocol/types.js';
import type { ScenarioUser } from '../../scenarios/backend.js';
import { findCommand, runCommand, textOf } from '../../scenarios/commands.js';
import { connectUntilRedirect, PROVIDER_ID, registerTestProvider, type RawFlow } from '../../scenarios/steps.js';
import { CALL_EXPAND } from '../../../src/hosts/apps/protocol/expand.js';
import { buildContext } from '../../support/fake_plugin/call_app.js';
import { signedCall, type RawAnswer } from './signed.js';
import type { StartedOidcProvider } from '../../support/oidc_provider.js';
import type { BadProvider } from './bad_provider.js';
import type { SecurityWorld } from './world.js';

export { PROVIDER_ID, textOf };

export async function register(world: SecurityWorld, id = PROVIDER_ID, provider = world.provider, client = provider.clients.basic): Promise<void> {
  const answer = await registerTestProvider({ ...world.scenario, provider }, id, client);
  assert.equal(answer.type, 'ok', textOf(answer));
}

/** A misbehaving provider in the shape the scenario steps drive (issuer, one client, authorize()). */
export function asOidcProvider(bad: BadProvider): StartedOidcProvider {
  const client = { ...bad.client, token_endpoint_auth_method: 'client_secret_basic' as const };
  const authorize = async (url: string, options?: { login?: string }) => {
    if (options?.login) bad.login = options.login;
    return bad.authorize(url);
  };
  return { issuer: bad.issuer, clients: { basic: client, post: client, public: client }, authorize } as unknown as StartedOidcProvider;
}

/** A connect flow up to the provider's redirect; `op` is the OpenID provider registered as `provider`. */
export function flowTo(world: SecurityWorld, user: ScenarioUser, login: string, provider = PROVIDER_ID, op = world.provider): Promise<RawFlow> {
  return connectUntilRedirect({ ...world.scenario, provider: op }, user, login, provider);
}

/** The whole connect flow without a browser; asserts the plugin's success page. */
export async function connect(world: SecurityWorld, user: ScenarioUser, login: string, provider = PROVIDER_ID): Promise<void> {
  const flow = await flowTo(world, user, login, provider);
  const answer = await flow.complete();
  assert.equal(answer.status, 200, answer.text);
}

export async function command(world: SecurityWorld, user: ScenarioUser, words: string[], values: Record<string, unknown> = {}): Promise<CallResponse> {
  return runCommand(world.backend, user, words, values);
}

/**
 * The command's call with values the parser would never send (extra fields): what an
 * attacker posts to the plugin's call endpoint directly, past the webapp.
 */
export async function forgedCommand(world: SecurityWorld, user: ScenarioUser, words: string[], values: Record<string, unknown>): Promise<CallResponse> {
  const binding = findCommand(await world.backend.bindings(user), words);
  const submit = binding?.submit ?? binding?.form?.submit;
  if (!submit) throw new Error(`/oauth2 ${words.join(' ')} has no submit call`);
  return world.backend.call(user, { ...submit, values } as never);
}

export async function say(world: SecurityWorld, user: ScenarioUser, words: string[], values: Record<string, unknown> = {}): Promise<string> {
  return textOf(await command(world, user, words, values));
}

/** Runs `work` over `items` with at most `limit` at a time; resolves with the results in order. */
export async function inParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The oauth2/user summary the plugin holds for a user (what the App stored). */
export function summaryOf(world: SecurityWorld, user: ScenarioUser): Record<string, any> | undefined {
  const raw = world.backend.fake.state.oauth2User.get(user.id);
  return raw ? (JSON.parse(raw) as Record<string, any>) : undefined;
}

/** The body the plugin would send for `path` as `user`: a real expanded context with fresh App tokens. */
export function pluginBody(world: SecurityWorld, path: string, user: ScenarioUser, values: Record<string, unknown>, state?: unknown) {
  const fake = world.backend.fake;
  const expand = CALL_EXPAND as Record<string, string>;
  return { path, expand, values, ...(state !== undefined && { state }), context: buildContext(fake.state, fake.siteUrl, expand, user.id) };
}

/** Calls the App directly, signed, with the user's real context: what an attacker holding the JWT secret could send. */
export function callAppAs(world: SecurityWorld, user: ScenarioUser, path: string, values: Record<string, unknown>, state?: unknown): Promise<RawAnswer> {
  return signedCall(world.app.url, world.app.config.jwtSecret!, path, pluginBody(world, path, user, values, state), user.id);
}
