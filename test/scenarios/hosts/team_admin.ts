/**
 * What any user can get on a standalone server by creating a team of their own
 * (a team's creator is its admin): the `/oauth2` command's token in that team,
 * as GET /api/v4/commands?custom_only=true shows it to a team admin, and fresh
 * trigger ids that Mattermost signed for themselves (a custom command of their
 * own, pointed at a listener of theirs, receives one each time they type it).
 * The forgery scenarios start from here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runSetup } from '../../../src/hosts/standalone/setup/setup.js';
import type { InstallationStore } from '../../../src/hosts/standalone/ports.js';
import type { Session } from '../../e2e/harness/mm_api.js';

export interface TeamAdminKit {
  /** The team the user administers, and a channel in it. */
  teamId: string;
  channelId: string;
  /** The team's `/oauth2` command token, as the team admin reads it. */
  commandToken: string;
  /** A trigger id Mattermost just signed for this user. */
  ownTrigger(): Promise<string>;
  close(): Promise<void>;
}

/** A listener standing for the team admin's own command URL: it keeps the forms Mattermost posts to it. */
async function captureListener(): Promise<{ url: string; forms: URLSearchParams[]; server: Server }> {
  const forms: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      forms.push(new URLSearchParams(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/capture`, forms, server };
}

export interface RealTeamAdminInput {
  user: Session;
  adminToken: string;
  siteUrl: string;
  rootUrl: string;
  store: InstallationStore;
}

/** On a real server: the user creates a team, setup (as the next check would) adds `/oauth2` there, the user reads its token. */
export async function realTeamAdminKit(input: RealTeamAdminInput): Promise<TeamAdminKit> {
  const { client } = input.user;
  const name = `forge-${input.user.user.username}-${Date.now() % 100_000}`.toLowerCase();
  const team = await client.json<{ id: string }>('POST', '/api/v4/teams', { name, display_name: name, type: 'O' });
  const report = await runSetup({ adminToken: input.adminToken, mattermostUrl: input.siteUrl, rootUrl: input.rootUrl, store: input.store, mode: 'apply' });
  if (report.problems.length > 0) throw new Error(`setup found problems:\n${report.format()}`);
  const commands = await client.json<Array<{ trigger: string; token: string }>>('GET', `/api/v4/commands?team_id=${team.id}&custom_only=true`);
  const commandToken = commands.find((c) => c.trigger === 'oauth2')?.token;
  if (!commandToken) throw new Error(`the team admin cannot read /oauth2's token in their team: ${JSON.stringify(commands.map((c) => c.trigger))}`);
  const channel = await client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`);
  const capture = await captureListener();
  await client.json('POST', '/api/v4/commands', { team_id: team.id, trigger: 'mine', url: capture.url, method: 'P' });
  return {
    teamId: team.id,
    channelId: channel.id,
    commandToken,
    async ownTrigger() {
      await client.json('POST', '/api/v4/commands/execute', { command: '/mine', channel_id: channel.id, team_id: team.id });
      const trigger = capture.forms.at(-1)?.get('trigger_id');
      if (!trigger) throw new Error('the own command received no trigger id');
      return trigger;
    },
    close: () => new Promise<void>((resolve) => capture.server.close(() => resolve())),
  };
}
