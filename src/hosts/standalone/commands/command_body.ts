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
type CommandFields = z.output<typeof schema>;

/*
 * The hand-written checks below give what the schemas give for every body they pass (a property test holds them
 * together, test/unit/standalone/command_body_check.test.ts); a body they do not pass goes to the schema, which says
 * why. They exist because every command takes this path, where zod's object parse cost as much as the HTTP answer.
 */
const IS_ID = /^[a-z0-9]{26}$/;
type Fields = Readonly<Record<string, unknown>>;
const isId = (v: unknown): v is string => typeof v === 'string' && IS_ID.test(v);
/**
 * Within the bounds for certain: zod counts code points, one or two UTF-16 units each, so a string of at most `max` units
 * is within `max`, and one of at least twice `min` units reaches `min`; one in doubt is left to the schema.
 */
const isText = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= 2 * min && v.length <= max;
/** Absent, or a string of at most `max`: the schema's optionalText. */
const isOptional = (v: unknown, max: number): v is string | undefined => v === undefined || isText(v, 0, max);

function isObject(body: unknown): body is Fields {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function passesCredentials(b: Fields): boolean {
  return isText(b.token, 1, 64) && isId(b.team_id) && isId(b.user_id) && isOptional(b.trigger_id, 2048);
}

function passesCommandBody(b: Fields): boolean {
  return (
    passesCredentials(b) &&
    isOptional(b.team_domain, 64) &&
    isId(b.channel_id) &&
    isOptional(b.channel_name, 128) &&
    isOptional(b.user_name, 64) &&
    isText(b.command, 2, 130) &&
    isOptional(b.text, 16_384) &&
    (b.root_id === undefined || b.root_id === '' || isId(b.root_id)) &&
    isOptional(b.response_url, 1024)
  );
}

const text = (v: unknown): string => (v as string | undefined) ?? '';

/** Only what the token and trigger checks need, from an untrusted body. */
export function credentialFields(body: unknown): CommandCredentials | undefined {
  if (isObject(body) && passesCredentials(body)) {
    return { token: body.token as string, team_id: body.team_id as string, user_id: body.user_id as string, trigger_id: text(body.trigger_id) };
  }
  const parsed = CREDENTIAL_FIELDS.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

function commandFields(body: unknown): { fields: CommandFields } | { problem: string } {
  if (isObject(body) && passesCommandBody(body)) {
    const b = body;
    const fields: CommandFields = {
      token: b.token as string,
      team_id: b.team_id as string,
      team_domain: text(b.team_domain),
      channel_id: b.channel_id as string,
      channel_name: text(b.channel_name),
      user_id: b.user_id as string,
      user_name: text(b.user_name),
      command: b.command as string,
      text: text(b.text),
      trigger_id: text(b.trigger_id),
      root_id: text(b.root_id),
      response_url: text(b.response_url),
    };
    return { fields };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { fields: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `The command request is malformed (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}).` };
}

/** The request with its text split into subcommand and arguments; a readable problem otherwise. */
export function parseCommandBody(body: unknown): { request: CommandRequest } | { problem: string } {
  const checked = commandFields(body);
  if ('problem' in checked) return checked;
  const { token: _token, ...fields } = checked.fields;
  const words = fields.text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  return { request: { ...fields, subcommand: (words[0] ?? '').toLowerCase(), args: words.slice(1) } };
}

/** The subcommand's name as parseCommandBody would give it, from a body not checked yet (to decide what the admission reads). */
export function subcommandNameOf(body: unknown): string {
  const raw = isObject(body) && typeof body.text === 'string' ? body.text : '';
  const start = raw.search(/\S/);
  if (start === -1) return '';
  const end = raw.slice(start).search(/\s/);
  return (end === -1 ? raw.slice(start) : raw.slice(start, start + end)).toLowerCase();
}

/** For the property test: the schemas alone, as they answer every body. */
export const schemaAnswers = {
  credentials: (body: unknown): CommandCredentials | undefined => {
    const parsed = CREDENTIAL_FIELDS.safeParse(body);
    return parsed.success ? parsed.data : undefined;
  },
  fields: (body: unknown): CommandFields | undefined => {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : undefined;
  },
};
