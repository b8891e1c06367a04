/**
 * The command token (identity chain step 1). Setup keeps only its hash, so a
 * database leak gives no way to forge `/oauth2` requests; the request's
 * `token` form field is hashed the same way and compared in constant time
 * (secrets.ts). Only after it passes is `user_id` trusted.
 */
import type { InstallationStore } from '../ports.js';
import { hashValue, sameText } from '../secrets.js';

/** base64url SHA-256 of a command token (the TeamCommand.token_hash format). */
export const hashCommandToken = hashValue;

/** Constant-time check of a presented token against a stored hash. */
export function commandTokenMatches(presented: string, storedHash: string): boolean {
  return sameText(hashValue(presented), storedHash);
}

/** The form field, not the Authorization header: an outgoing OAuth connection may replace that (docs/mattermost.md, "What Mattermost sends"). */
export async function commandTokenValid(installation: Pick<InstallationStore, 'commandForTeam'>, teamId: string, token: string): Promise<boolean> {
  const command = await installation.commandForTeam(teamId);
  // Hashing even when the team is unknown keeps the work the same either way.
  const matches = commandTokenMatches(token, command?.token_hash ?? '');
  return command !== undefined && matches;
}
