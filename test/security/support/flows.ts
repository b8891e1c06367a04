/** Short steps on a SecurityWorld: register, connect, run a command, bounded parallel work. */
import assert from 'node:assert/strict';
import type { CallResponse } from '../../../src/apps/types.js';
import type { ScenarioUser } from '../../scenarios/backend.js';
import { runCommand, textOf } from '../../scenarios/commands.js';
import { connectUntilRedirect, PROVIDER_ID, registerTestProvider, type RawFlow } from '../../scenarios/steps.js';
import type { SecurityWorld } from './world.js';

export { PROVIDER_ID, textOf };

export async function register(world: SecurityWorld, id = PROVIDER_ID, provider = world.provider): Promise<void> {
  const answer = await registerTestProvider({ ...world.scenario, provider }, id);
  assert.equal(answer.type, 'ok', textOf(answer));
}

export function flowTo(world: SecurityWorld, user: ScenarioUser, login: string, provider = PROVIDER_ID): Promise<RawFlow> {
  return connectUntilRedirect(world.scenario, user, login, provider);
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
