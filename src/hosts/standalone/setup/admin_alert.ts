/**
 * Tells the system admins what a team sync run found changed in the teams'
 * `/oauth2` commands: one direct message from the bot per run, to every
 * active system admin, listing each team, what was found and what was done.
 */
import type { MattermostClient4 } from '../client4.js';
import { listActiveSystemAdmins, sendDirectMessages } from '../bot.js';
import { COMMAND_TRIGGER } from './names.js';
import type { Finding } from './report.js';
import { quoted } from './team_findings.js';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The message: a heading, one line per finding, and what it means. */
export function alertText(findings: Finding[], foundBy: string): string {
  const lines = [
    `:warning: **OAuth2 Connect: someone changed its /${COMMAND_TRIGGER} command** (found by ${foundBy})`,
    '',
    ...findings.map((f) => `- Team ${quoted(f.team)}: ${f.what}. ${capitalised(f.outcome)}.`),
    '',
    `Team admins can read, change, regenerate and replace the slash commands of their team. Whoever did this may have seen what people typed after /${COMMAND_TRIGGER} there. Commands typed in a team whose /${COMMAND_TRIGGER} is not the service's own are refused.`,
  ];
  if (findings.some((f) => !f.repaired)) {
    lines.push(
      '',
      `Not everything could be repaired: delete any other /${COMMAND_TRIGGER} in that team (Integrations > Slash Commands), then run \`oauth2-connect setup\` with a system admin's token.`,
    );
  }
  return lines.join('\n');
}

export interface AlertOutcome {
  /** @usernames the message reached. */
  sent: string[];
  /** @username: why it did not reach them (no secret: a Mattermost error message). */
  failed: string[];
}

/** Sends alertText to every active system admin, as the bot behind `botClient`; never throws. Nothing is sent without findings. */
export async function alertSystemAdmins(botClient: MattermostClient4, botUserId: string, findings: Finding[], foundBy: string): Promise<AlertOutcome> {
  if (findings.length === 0) return { sent: [], failed: [] };
  let admins;
  try {
    admins = await listActiveSystemAdmins(botClient);
  } catch (err) {
    return { sent: [], failed: [`the system admins could not be listed: ${(err as Error).message}`] };
  }
  const failures = await sendDirectMessages(
    botClient,
    botUserId,
    admins.map((a) => a.id),
    alertText(findings, foundBy),
  );
  const name = (id: string) => `@${admins.find((a) => a.id === id)!.username}`;
  const failedIds = new Set(failures.map((f) => f.userId));
  return {
    sent: admins.filter((a) => !failedIds.has(a.id)).map((a) => `@${a.username}`),
    failed: failures.map((f) => `${name(f.userId)}: ${f.error}`),
  };
}
