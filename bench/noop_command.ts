/**
 * The yardsticks of the Mattermost bench: custom slash commands in the same
 * team, served by bare express on 127.0.0.1. The no-op answers `{}`
 * (Mattermost posts nothing): its round trip through commands/execute is what
 * any command costs a user there, and what /oauth2 takes on top of it is what
 * OAuth2 Connect adds. The text no-op answers the ephemeral text it is given
 * (the bench gives it each command's own answer): what it adds is Mattermost's
 * own work to show a text, which every command that answers pays; what a
 * command adds to it is OAuth2 Connect's (the budget's measure).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { MMClient } from '../test/e2e/harness/mm_api.js';

export interface NoopCommands {
  /** The trigger words: `{}`, and an ephemeral text. */
  noop: string;
  text: string;
  /** What the text no-op answers from now on. */
  answerWith(text: string): void;
  close(): Promise<void>;
}

/** Starts the listener and creates both commands in the team (the admin's session). */
export async function startNoopCommands(admin: MMClient, teamId: string): Promise<NoopCommands> {
  let answer = { response_type: 'ephemeral', text: 'Bench.' };
  const app = express();
  app.post('/noop', (_req, res) => {
    res.json({});
  });
  app.post('/text', (_req, res) => {
    res.json(answer);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const create = (trigger: string, path: string) =>
    admin.json<{ id: string }>('POST', '/api/v4/commands', { team_id: teamId, trigger, method: 'P', url: `${base}${path}`, display_name: `Bench ${trigger}` });
  const made = [await create('benchnoop', '/noop'), await create('benchtext', '/text')];
  return {
    noop: 'benchnoop',
    text: 'benchtext',
    answerWith: (text) => {
      answer = { response_type: 'ephemeral', text };
    },
    close: async () => {
      for (const command of made) await admin.json('DELETE', `/api/v4/commands/${command.id}`).catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
