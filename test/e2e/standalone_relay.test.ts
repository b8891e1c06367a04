// A trigger id relayed from another integration, on a real Mattermost without
// the Apps plugin. Mattermost makes a fresh signed trigger for every command a
// user runs and posts it to whichever integration owns the command. bob
// creates a team (so he is its admin), setup puts /oauth2 there, and he adds a
// command of his own, /weather, served by his own server. alice, a member,
// runs /weather; bob's server receives her trigger and relays it, with his
// team's /oauth2 token, straight to the service as alice's `/oauth2 status`.
// With APP_MATTERMOST_SOURCES naming Mattermost's address the relay, sent from
// another address, is refused, while alice's own /oauth2 through Mattermost
// runs; a replica on the same storage without the setting runs the relay as
// alice, which is what the setting is for.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { NOT_FROM_MATTERMOST } from '../../src/hosts/standalone/mattermost_source.js';
import { runSetup } from '../../src/hosts/standalone/setup/setup.js';
import { startListeningService, type ListeningService } from '../support/standalone_service.js';
import { ensureBuilt } from './harness/build.js';
import * as mm from './harness/mm_api.js';
import { startStandaloneWorld, type StandaloneWorld } from './harness/standalone_world.js';

/** Mattermost calls the service from 127.0.0.1 (the service listens there); bob relays from another loopback address. */
const MATTERMOST_ADDRESS = '127.0.0.1';
const RELAY_ADDRESS = '127.0.0.2';

/** bob's /weather: it keeps the forms Mattermost posts to it and answers a forecast. */
async function startWeatherServer(): Promise<{ url: string; forms: URLSearchParams[]; close(): Promise<void> }> {
  const forms: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      forms.push(new URLSearchParams(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ response_type: 'ephemeral', text: 'Sunny.' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/weather`, forms, close: () => new Promise((r) => server.close(() => r())) };
}

/** A form POSTed from `localAddress`, as bob's server sends it. */
function postFrom(localAddress: string, url: string, form: URLSearchParams): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(form.toString());
  });
}

describe('a trigger relayed from a command of another integration, on a real Mattermost (no Apps plugin)', { timeout: 10 * 60_000 }, () => {
  let w: StandaloneWorld;
  let guarded: ListeningService;
  let open: ListeningService;
  let weather: Awaited<ReturnType<typeof startWeatherServer>>;
  let bob: mm.Session;
  let team: { id: string; name: string };
  let channelId: string;

  before(async () => {
    w = await startStandaloneWorld(await ensureBuilt(), ['alpha']);
    guarded = await startListeningService({
      storage: 'sqlite',
      mattermostUrl: () => w.server.url,
      env: { APP_MATTERMOST_SOURCES: MATTERMOST_ADDRESS },
    });
    open = await startListeningService({ storage: 'sqlite', mattermostUrl: () => w.server.url, replicaOf: guarded });
    weather = await startWeatherServer();
    await mm.createUser(w.admin.client, 'bob');
    bob = await mm.login(w.server.directUrl, 'bob');
    team = await mm.createTeam(bob.client, 'bobs');
    await mm.addToTeam(w.admin.client, team.id, w.alice.user.id);
    channelId = (await w.alice.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`)).id;
    const store = guarded.service.standalone!.repositories.installation;
    const report = await runSetup({ adminToken: w.admin.token, mattermostUrl: w.server.url, rootUrl: guarded.root, store, mode: 'apply' });
    assert.deepEqual(report.problems, [], report.format());
    await bob.client.json('POST', '/api/v4/commands', { team_id: team.id, trigger: 'weather', method: 'P', url: weather.url });
  });
  after(async () => {
    await open?.close();
    await guarded?.close();
    await weather?.close();
    await w?.stop();
  });

  const aliceRuns = (command: string) => w.alice.client.raw('POST', '/api/v4/commands/execute', { command, channel_id: channelId, team_id: team.id });

  /** alice runs bob's /weather; bob's server gets her fresh trigger, and he reads his team's /oauth2 token. */
  async function harvest(): Promise<URLSearchParams> {
    assert.equal((await aliceRuns('/weather')).status, 200);
    const received = weather.forms.at(-1)!;
    assert.equal(received.get('user_id'), w.alice.user.id);
    const commands = await bob.client.json<Array<{ trigger: string; token: string }>>('GET', `/api/v4/commands?team_id=${team.id}&custom_only=true`);
    const ours = commands.find((c) => c.trigger === 'oauth2');
    assert.ok(ours, "setup put /oauth2 in bob's team, and he can read its token");
    return new URLSearchParams({
      token: ours.token,
      team_id: team.id,
      channel_id: channelId,
      user_id: w.alice.user.id,
      command: '/oauth2',
      text: 'status',
      trigger_id: received.get('trigger_id') ?? '',
    });
  }

  it('when alice runs /oauth2 status through Mattermost, then the service that admits only its address answers her', async () => {
    const res = await aliceRuns('/oauth2 status');
    assert.equal(res.status, 200);
    const text = ((await res.json()) as { text?: string }).text ?? '';
    assert.match(text, /No OAuth2 providers are registered yet/);
  });

  it("when bob relays alice's trigger from his own server, then the service that admits only Mattermost's address refuses it (403) and nothing runs", async () => {
    const relay = await harvest();
    const refused = await postFrom(RELAY_ADDRESS, `${guarded.root}/standalone/command`, relay);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.text, NOT_FROM_MATTERMOST);
    assert.match(guarded.logs.join('\n'), /command refused.*not_from_mattermost/);
    // The refusal spent nothing: the same relay to a replica without the setting still runs as alice.
    const ran = await postFrom(RELAY_ADDRESS, `${open.root}/standalone/command`, relay);
    assert.equal(ran.status, 200);
    assert.match(String(ran.body.text), /No OAuth2 providers are registered yet/);
  });
});
