/**
 * The Apps host's audit trail when the standalone host runs in the same
 * service (the default): its admin actions and its refused calls are rows in
 * the standalone host's database, which `/oauth2 audit` lists on the Apps
 * host as on the standalone host; a forged call leaves a refusal entry and no
 * secret of it. The Apps host alone keeps log lines only (the scenarios
 * cover it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_EXPAND } from '../../src/hosts/apps/protocol/expand.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { runCommand, textOf } from '../scenarios/commands.js';
import { registerTestProvider } from '../scenarios/steps.js';
import { jwtHeader, postRaw, signedCall } from '../security/support/signed.js';
import { startMoveWorld, type MoveWorld } from '../support/apps_move_world.js';

describe('the Apps host keeps audit rows beside the standalone host', () => {
  let w: MoveWorld;
  let mallory: ScenarioUser;
  const rows = () => w.service().standalone!.repositories.auditLog.recent({ limit: 200 });

  before(async () => {
    w = await startMoveWorld('sqlite');
    mallory = await w.createUser('mallory');
  });
  after(async () => {
    await w?.close();
  });

  it('when an admin registers a provider on the Apps host, then it is a row that /oauth2 audit lists there, and a non-admin reads nothing', async () => {
    assert.equal((await registerTestProvider(w.appsWorld)).type, 'ok');
    const added = (await rows()).find((r) => r.action === 'provider.add');
    assert.equal(added?.actor_user_id, w.apps.admin.id);
    assert.equal(added?.outcome, 'ok');
    assert.equal(added?.target, 'idp');
    assert.match(textOf(await runCommand(w.apps, w.apps.admin, ['audit'])), /provider\.add \| idp \| ok/);
    assert.match(textOf(await w.apps.call(mallory, { path: '/audit', expand: CALL_EXPAND })), /Only system admins/);
  });

  it('when calls reach the Apps host with a JWT signed by another secret, or naming another user than the JWT, then each is refused and kept as a refusal without the JWT', async () => {
    const path = '/audit';
    const body = {
      path,
      expand: CALL_EXPAND,
      context: {
        app_id: 'oauth2-connect',
        mattermost_site_url: w.apps.siteUrl,
        acting_user: { id: w.apps.admin.id, roles: 'system_user system_admin' },
      },
    };
    const otherSecret = await jwtHeader(w.jwtSecret, 'other_secret', w.apps.admin.id);
    const unsigned = await postRaw(w.root, path, JSON.stringify(body), otherSecret);
    assert.equal(unsigned.status, 401);
    const otherUser = await signedCall(w.root, w.jwtSecret, path, body, mallory.id);
    assert.equal(otherUser.status, 401);
    const refusals = (await rows()).filter((r) => r.action === 'forgery.refused' && r.target === path);
    assert.equal(refusals.length, 2, JSON.stringify(refusals));
    for (const r of refusals) {
      assert.equal(r.actor_user_id, '', 'nobody was vouched for');
      assert.equal(r.outcome, 'refused');
    }
    assert.ok(refusals.some((r) => /acting user differs from the JWT/.test(r.detail)));
    const stored = JSON.stringify(await rows());
    assert.ok(!stored.includes(otherSecret!.slice('Bearer '.length)), 'the JWT is in an audit row');
    for (const secret of w.secrets()) assert.ok(!stored.includes(secret), 'a secret is in an audit row');
    assert.match(textOf(await runCommand(w.apps, w.apps.admin, ['audit'])), /forgery\.refused \| \/audit \| refused/);
  });

  it('when Mattermost is upgraded and the standalone host serves alone on the same storage, then /oauth2 audit there still lists the Apps host entries', async () => {
    await w.upgrade();
    const text = (await w.mm.execute(w.mm.admin, 'audit')).text;
    assert.match(text, /provider\.add \| idp \| ok/);
    assert.match(text, /forgery\.refused \| \/audit \| refused/);
  });
});
