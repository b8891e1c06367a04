/**
 * The standalone host's slash command against the fake Mattermost: what setup
 * stores (the installation, one team's command with its token hash), and the
 * form Mattermost posts to the command's URL (application/x-www-form-urlencoded:
 * the command token, who typed what where, a trigger id for dialogs and a
 * response URL at the fake). An override of undefined leaves that field out.
 */
import type { InstallationStore } from '../../../src/hosts/standalone/ports.js';
import { hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';
import { type FakeMattermost, type FakeUser, mmId } from './fake_mattermost.js';

export interface CommandPlace {
  commandToken: string;
  teamId: string;
  channelId: string;
  mattermostUrl: string;
  /** Mattermost's trigger id for the user (signed with the fake server's key). */
  signTrigger(userId: string): string;
}

/** Where the fake Mattermost sends `/oauth2` for one team and channel. */
export const commandPlace = (mm: FakeMattermost, place: Omit<CommandPlace, 'mattermostUrl' | 'signTrigger'>): CommandPlace => ({
  ...place,
  mattermostUrl: mm.url,
  signTrigger: (userId) => mm.signer.sign(userId),
});

export function slashCommandForm(place: CommandPlace, user: FakeUser, text: string, overrides: Record<string, string | undefined> = {}): URLSearchParams {
  const fields: Record<string, string | undefined> = {
    token: place.commandToken,
    team_id: place.teamId,
    team_domain: 'team',
    channel_id: place.channelId,
    channel_name: 'town-square',
    user_id: user.id,
    user_name: user.username,
    command: '/oauth2',
    text,
    trigger_id: place.signTrigger(user.id),
    response_url: `${place.mattermostUrl}/hooks/commands/${mmId()}`,
    ...overrides,
  };
  return new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Stores what `oauth2-connect setup` would for this fake (bot, Sign in with Mattermost app) and one team's `/oauth2`. */
export async function installForFake(
  store: Pick<InstallationStore, 'saveInstallation' | 'saveCommand'>,
  mm: FakeMattermost,
  now: number,
): Promise<{ teamId: string; commandToken: string }> {
  await store.saveInstallation({
    mattermost_url: mm.url,
    bot_user_id: mm.botUserId,
    bot_username: 'oauth2-connect',
    bot_token: mm.botToken,
    oauth_client_id: mm.client.id,
    oauth_client_secret: mm.client.secret,
    updated_at: now,
  });
  const teamId = mmId();
  const commandToken = mmId();
  await store.saveCommand({ team_id: teamId, command_id: mmId(), token_hash: hashCommandToken(commandToken), updated_at: now });
  return { teamId, commandToken };
}
