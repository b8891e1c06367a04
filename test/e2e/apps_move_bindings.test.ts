// Copying users to the standalone host from the bindings call, on a real
// Mattermost with the real Apps plugin: the plugin fills the bindings call's
// expand from the manifest it stored at install, so an App installed with a
// manifest whose bindings call does not ask for the user's token copies no one
// from it; installed again (`/apps install http <manifest URL>` over the
// installed App: the listing and the consent), it does, with the users'
// connections on the Apps host kept. After a restart, a user found copied is
// not copied again. The server is this file's own.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { buildManifest } from '../../src/hosts/apps/protocol/manifest.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { runCommand, textOf } from '../scenarios/commands.js';
import { connectUntilRedirect } from '../scenarios/steps.js';
import { startAppsMoveWorld, type AppsMoveWorld } from './harness/apps_move_world.js';

describe('copying users from the bindings call on a real Mattermost', { timeout: 10 * 60_000 }, () => {
  let w: AppsMoveWorld;
  let carol: ScenarioUser;
  /** While set, /manifest.json is served as an earlier release had it: a bindings call without the user's token. */
  let earlierManifest = true;
  const servedEarlierManifest = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!earlierManifest || req.method !== 'GET' || req.url !== '/manifest.json') return false;
    const manifest = buildManifest(w?.root ?? `http://${req.headers.host}`, true) as { bindings: { expand: Record<string, string> } };
    const { acting_user_access_token: _token, ...expand } = manifest.bindings.expand;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ...manifest, bindings: { ...manifest.bindings, expand } }));
    return true;
  };
  const settled = () => w.service().deps.userCopies!.idle();
  const copied = async (user: ScenarioUser) => (await w.service().standalone!.repositories.connections.get(user.id, 'idp'))?.connection.label;
  const loadBindings = async (user: ScenarioUser) => {
    assert.ok((await w.backend.bindings(user)).length > 0);
    await settled();
  };

  before(async () => {
    w = await startAppsMoveWorld('v12bind', servedEarlierManifest);
    carol = await w.backend.createUser(`carol${Date.now() % 100000}`);
    const done = await (await connectUntilRedirect(w.world, carol, 'carol-at-idp')).complete();
    assert.equal(done.status, 200, done.text);
    assert.match(textOf(await runCommand(w.backend, w.backend.admin, ['migrate', 'providers'])), /`idp`\): copied\./);
    assert.match(textOf(await runCommand(w.backend, w.backend.admin, ['migrate', 'users'])), /User copying is now on/);
    await settled();
  });
  after(async () => {
    await w?.close();
  });

  it('when the App was installed with a bindings call without the user token, then loading bindings copies no one', async () => {
    await loadBindings(carol);
    assert.equal(await copied(carol), undefined);
  });

  it('when the admin installs the App again from its manifest URL, then loading bindings copies the user, whose connection the App kept', async () => {
    earlierManifest = false;
    await w.backend.installApp(`${w.root}/manifest.json`, w.jwtSecret);
    await loadBindings(carol);
    assert.equal(await copied(carol), 'carol-at-idp');
  });

  it('after a restart, a user found copied is not copied again by their bindings', async () => {
    await w.restart('apps,standalone');
    const copies = () => w.logger.lines.filter((l) => l.includes('apps move: user copied')).length;
    const before = copies();
    await loadBindings(carol);
    await loadBindings(carol);
    assert.equal(copies(), before);
    for (const secret of [w.key, w.jwtSecret, w.provider.clients.basic.client_secret!]) assert.ok(!w.logger.lines.some((l) => l.includes(secret)));
  });
});
