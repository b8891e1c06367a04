import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ScenarioUser } from '../scenarios/backend.js';
import { connect, flowTo, register, say } from './support/flows.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';

let world: SecurityWorld;
const key = randomBytes(32).toString('base64');
const user = (name: string): Promise<ScenarioUser> => world.backend.createUser(name);

describe('the App restarted in the middle of a flow', () => {
  before(async () => {
    world = await startSecurityWorld({ env: { APP_ENCRYPTION_KEY: key, APP_ENCRYPTION_KEY_ID: 'k1' } });
    await register(world);
  });
  after(() => world?.finish('restart'));

  it('when the App restarts between /oauth2/connect and the redirect, then the flow completes', async () => {
    const mia = await user('mia');
    const flow = await flowTo(world, mia, 'mia');
    await world.restartApp();
    assert.equal((await flow.complete()).status, 200);
    assert.match(await say(world, mia, ['whoami'], { provider: 'idp' }), /you are \*\*mia\*\*/);
  });

  it('when the App is down as the provider redirects back, then the browser gets an error, nothing is stored, and connecting again works once it is back', async () => {
    const ned = await user('ned');
    const flow = await flowTo(world, ned, 'ned');
    await world.app.close();
    const answer = await flow.complete();
    assert.notEqual(answer.status, 200);
    assert.equal(world.storedRaw(ned, 'idp'), undefined);
    await world.restartApp();
    await connect(world, ned, 'ned');
    assert.match(await say(world, ned, ['whoami'], { provider: 'idp' }), /you are \*\*ned\*\*/);
  });

  it('when the App restarts with a rotated key mid-flow, then the flow fails cleanly (its PKCE verifier came from the old key) and a new connect works', async () => {
    const ola = await user('ola');
    const flow = await flowTo(world, ola, 'ola');
    await world.restartApp({ APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), APP_ENCRYPTION_KEY_ID: 'k2', APP_PREVIOUS_ENCRYPTION_KEYS: `k1:${key}` });
    const answer = await flow.complete();
    assert.equal(answer.status, 500);
    assert.match(answer.text, /Connect again|Start the connection again|try again/i);
    assert.equal(world.storedRaw(ola, 'idp'), undefined);
    await connect(world, ola, 'ola');
    assert.match(await say(world, ola, ['whoami'], { provider: 'idp' }), /you are \*\*ola\*\*/);
  });
});
