import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallPath } from '../../src/hosts/apps/protocol/paths.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { startBadProvider, type BadProvider, type IdTokenFault } from './support/bad_provider.js';
import { asOidcProvider, callAppAs, command, flowTo, forgedCommand, register, say, summaryOf, textOf } from './support/flows.js';
import { providerRedirectUri } from '../../src/hosts/apps/calls/redirect_uri.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';

let world: SecurityWorld;
let bad: BadProvider;
let frank: ScenarioUser;
const EVIL = 'https://evil.example.com/cb';
const FAULTS: IdTokenFault[] = ['wrong_nonce', 'wrong_aud', 'wrong_iss', 'other_key', 'alg_none', 'expired', 'wrong_sub'];

const connectUrl = async (user: ScenarioUser, provider: string) => {
  const answer = await forgedCommand(world, user, ['connect'], { provider, redirect_uri: EVIL, connect_url: EVIL, navigate_to_url: EVIL });
  return (answer as { data?: { connect_url?: string } }).data?.connect_url ?? '';
};

describe('a malicious provider and open-redirect attempts', () => {
  before(async () => {
    world = await startSecurityWorld();
    bad = await startBadProvider();
    world.audit.add(bad.client.client_secret);
    frank = await world.backend.createUser('frank');
    await register(world);
    await register(world, 'bad', asOidcProvider(bad));
  });
  after(async () => {
    await bad.close();
    await world?.finish('id_token and redirects');
  });

  for (const fault of FAULTS) {
    it(`when the id_token has ${fault.replace('_', ' ')}, then the flow is refused by a security check and nothing is stored`, async () => {
      bad.faults.idToken = fault;
      try {
        const flow = await flowTo(world, frank, 'frank', 'bad', asOidcProvider(bad));
        const answer = await flow.complete();
        assert.equal(answer.status, 500);
        assert.match(answer.text, /security check/);
        assert.equal(world.storedRaw(frank, 'bad'), undefined);
        assert.equal(summaryOf(world, frank)?.connections?.bad, undefined);
      } finally {
        bad.faults.idToken = 'none';
      }
    });
  }

  it('when the same provider sends a good id_token, then the flow completes (the control)', async () => {
    const flow = await flowTo(world, frank, 'frank', 'bad', asOidcProvider(bad));
    assert.equal((await flow.complete()).status, 200);
    assert.match(await say(world, frank, ['status']), /\(`bad`\): connected as \*\*frank\*\*/);
  });

  it('when connect values try to set the redirect, then the answer links only to the plugin connect_url and the authorize URL redirects only to complete_url', async () => {
    const user = await world.backend.createUser('gina');
    const answer = await forgedCommand(world, user, ['connect'], { provider: 'idp', redirect_uri: EVIL, connect_url: EVIL, navigate_to_url: EVIL });
    assert.equal(answer.type, 'ok');
    assert.ok(!JSON.stringify(answer).includes('evil.example.com'));
    const res = await fetch(await connectUrl(user, 'idp'), { headers: { cookie: `MMAUTHTOKEN=${user.token}` }, redirect: 'manual' });
    const authorize = new URL(res.headers.get('location')!);
    assert.deepEqual(authorize.searchParams.getAll('redirect_uri'), [providerRedirectUri(world.completeUrl, 'idp')]);
    const state = authorize.searchParams.get('state')!;
    const direct = await callAppAs(world, user, CallPath.oauth2Connect, { state, redirect_uri: EVIL, redirect: EVIL, complete_url: EVIL });
    assert.equal(direct.json.type, 'ok', direct.body);
    assert.deepEqual(new URL(direct.json.data).searchParams.getAll('redirect_uri'), [providerRedirectUri(world.completeUrl, 'idp')]);
    assert.ok(!direct.body.includes('evil.example.com'));
  });

  it('when an admin sets authorize parameters that would override redirect_uri, state, PKCE or nonce, then the provider is refused', async () => {
    for (const params of [
      `redirect_uri=${EVIL}`,
      'state=x',
      'code_challenge=x',
      'code_challenge_method=plain',
      'nonce=x',
      'response_type=token',
      'client_id=other',
    ]) {
      const answer = await command(world, world.backend.admin, ['provider', 'add'], {
        preset: 'oidc',
        id: 'evil',
        display_name: 'Evil',
        issuer: world.provider.issuer,
        client_id: 'c',
        client_secret: 'a-secret-of-sorts',
        auth: 'client_secret_basic',
        params,
      });
      assert.equal(answer.type, 'error', params);
      assert.match(textOf(answer), /params/);
    }
  });

  it("when an admin's authorization endpoint carries redirect_uri and state in its query, then the App's values replace them", async () => {
    const endpoint = `${world.provider.issuer}/auth?redirect_uri=${encodeURIComponent(EVIL)}&state=attacker&response_type=token`;
    const added = await command(world, world.backend.admin, ['provider', 'add'], {
      preset: 'oauth2',
      id: 'manual',
      display_name: 'Manual',
      endpoints_authorization_endpoint: endpoint,
      endpoints_token_endpoint: `${world.provider.issuer}/token`,
      client_id: 'client-basic',
      client_secret: world.provider.clients.basic.client_secret,
      auth: 'client_secret_basic',
      scopes: 'profile',
    });
    assert.equal(added.type, 'ok', textOf(added));
    const user = await world.backend.createUser('hank');
    const res = await fetch(await connectUrl(user, 'manual'), { headers: { cookie: `MMAUTHTOKEN=${user.token}` }, redirect: 'manual' });
    const authorize = new URL(res.headers.get('location')!);
    assert.deepEqual(authorize.searchParams.getAll('redirect_uri'), [providerRedirectUri(world.completeUrl, 'manual')]);
    assert.deepEqual(authorize.searchParams.getAll('response_type'), ['code']);
    assert.deepEqual(authorize.searchParams.getAll('state').length, 1);
    assert.match(authorize.searchParams.get('state')!, new RegExp(`\\.${user.id}$`));
  });
});
