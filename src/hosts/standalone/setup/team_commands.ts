/** The /oauth2 command as setup wants it in a team, and how an existing one differs. */
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

/** Names of the fields whose value differs from what setup wants. */
export function changedFields(found: Command, want: CommandFields): string[] {
  return (Object.keys(want) as Array<keyof CommandFields>).filter((k) => found[k] !== want[k]);
}

export const isDuplicateTrigger = (err: unknown): boolean =>
  (err as { server_error_id?: string }).server_error_id === 'api.command.duplicate_trigger.app_error';
