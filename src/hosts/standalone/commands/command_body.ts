/**
 * The command request body as Mattermost sends it (application/x-www-form-urlencoded,
 * docs/mattermost.md), with bounded sizes. The token and the signed trigger are
 * checked before the rest is read (command_token.ts, trigger/trigger_check.ts).
 */
import { z } from 'zod';
import type { CommandRequest } from './types.js';

export const COMMAND_BODY_LIMIT = 64 * 1024;

const ID = z.string().regex(/^[a-z0-9]{26}$/, 'a 26-character Mattermost id');
const optionalText = (max: number) => z.string().max(max).default('');

/** Repeated keys (user_mentions…) arrive as arrays; they are accepted and ignored. */
const schema = z.object({
  token: z.string().min(1).max(64),
  team_id: ID,
  team_domain: optionalText(64),
  channel_id: ID,
  channel_name: optionalText(128),
  user_id: ID,
  user_name: optionalText(64),
  command: z.string().min(2).max(130),
  text: optionalText(16_384),
  trigger_id: optionalText(2048),
  root_id: z.union([ID, z.literal('')]).default(''),
  response_url: optionalText(1024),
});

// Built once: zod compiles an object schema on its first parse, which per request cost a third of a status command.
const CREDENTIAL_FIELDS = z.object({ token: z.string().min(1).max(64), team_id: ID, user_id: ID, trigger_id: optionalText(2048) });

export type CommandCredentials = z.output<typeof CREDENTIAL_FIELDS>;

/** Only what the token and trigger checks need, from an untrusted body. */
export function credentialFields(body: unknown): CommandCredentials | undefined {
  const parsed = CREDENTIAL_FIELDS.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

/** The request with its text split into subcommand and arguments; a readable problem otherwise. */
export function parseCommandBody(body: unknown): { request: CommandRequest } | { problem: string } {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `The command request is malformed (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}).` };
  }
  const { token: _token, ...fields } = parsed.data;
  const words = fields.text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  return { request: { ...fields, subcommand: (words[0] ?? '').toLowerCase(), args: words.slice(1) } };
}
