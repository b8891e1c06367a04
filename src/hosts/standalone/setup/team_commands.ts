/** The /oauth2 command as setup wants it in a team, and how an existing one differs. */
import { createHash } from 'node:crypto';
import type { Command } from '@mattermost/types/integrations';
import { COMMAND_DESCRIPTION, COMMAND_DISPLAY_NAME, COMMAND_HINT, COMMAND_TRIGGER } from './names.js';

export type CommandFields = Pick<
  Command,
  'trigger' | 'method' | 'url' | 'auto_complete' | 'auto_complete_desc' | 'auto_complete_hint' | 'display_name' | 'description'
>;

export function wantedCommand(commandUrl: string): CommandFields {
  return {
    trigger: COMMAND_TRIGGER,
    method: 'P',
    url: commandUrl,
    auto_complete: true,
    auto_complete_desc: COMMAND_DESCRIPTION,
    auto_complete_hint: COMMAND_HINT,
    display_name: COMMAND_DISPLAY_NAME,
    description: COMMAND_DESCRIPTION,
  };
}

const FIELD_NAMES = Object.keys(wantedCommand('')) as Array<keyof CommandFields>;

/** Names of the fields whose value differs from what setup wants. */
export function changedFields(found: CommandFields, want: CommandFields): Array<keyof CommandFields> {
  return FIELD_NAMES.filter((k) => found[k] !== want[k]);
}

/**
 * SHA-256 of the fields as Mattermost returned them after the service wrote
 * them: a command whose hash differs was changed by someone else since.
 */
export function commandFieldsHash(command: CommandFields): string {
  const values = FIELD_NAMES.map((k) => command[k] ?? null);
  return createHash('sha256').update(JSON.stringify(values), 'utf8').digest('base64url');
}

export const isDuplicateTrigger = (err: unknown): boolean =>
  (err as { server_error_id?: string }).server_error_id === 'api.command.duplicate_trigger.app_error';
