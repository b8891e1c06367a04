/**
 * The command token check (identity chain step 1): the `token` form field,
 * hashed with SHA-256, compared in constant time with the hash setup stored
 * for that team. Only after it passes is `user_id` trusted. Setup's
 * hashCommandToken/commandTokenMatches is the one definition of the format.
 */
import type { InstallationStore } from '../ports.js';
import { commandTokenMatches } from '../setup/command_token.js';

/** The form field, not the Authorization header: an outgoing OAuth connection may replace that (docs/mattermost.md, "What Mattermost sends"). */
export async function commandTokenValid(installation: Pick<InstallationStore, 'commandForTeam'>, teamId: string, token: string): Promise<boolean> {
  const command = await installation.commandForTeam(teamId);
  // Hashing even when the team is unknown keeps the work the same either way.
  const matches = commandTokenMatches(token, command?.token_hash ?? '');
  return command !== undefined && matches;
}
