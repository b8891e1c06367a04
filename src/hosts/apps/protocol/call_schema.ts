/**
 * The incoming call body as a zod schema: the runtime check of the fields the
 * handlers read. The plugin's expanded context is trusted, so unknown keys
 * pass through; values, state and everything else are the client's and are not.
 */
import { z } from 'zod';

const text = z.string().nullish();
const option = z.looseObject({ value: z.string() });

/** A form value: a scalar, a select option, or a list of at most 100 options. */
const value = z.union([z.string(), z.boolean(), z.number(), z.null(), option, z.array(option).max(100)], { error: 'has an unexpected type' });

const user = z.looseObject({ id: z.string(), roles: text });

const oauth2 = z.looseObject({ connect_url: text, complete_url: text, client_id: text, client_secret: text, remote_root_url: text });

export const CallContext = z.looseObject({
  mattermost_site_url: text,
  bot_user_id: text,
  bot_access_token: text,
  acting_user_access_token: text,
  acting_user: user.nullish(),
  oauth2: oauth2.nullish(),
});

export const CallBody = z.looseObject({
  context: CallContext.nullish(),
  values: z.record(z.string(), value).nullish(),
  expand: z.looseObject({}).optional(),
  raw_command: text,
  selected_field: text,
  query: text,
});
export type CallBody = z.output<typeof CallBody>;

/** The message of the first problem, naming the field as the client sent it. */
export function describeCallBodyIssue(issue: z.core.$ZodIssue): string {
  const [first, second] = issue.path;
  if (first === 'values' && typeof second === 'string') return `value "${second.slice(0, 40)}" has an unexpected type`;
  const name = issue.path.join('.');
  if (first === 'context' && issue.path.length === 3 && issue.path[1] === 'acting_user' && issue.path[2] !== 'roles')
    return '"context.acting_user" must be a user';
  if (issue.code === 'invalid_type' && issue.expected === 'string') return `"${name}" must be a string`;
  if (name === 'context.acting_user') return '"context.acting_user" must be a user';
  return `"${name}" must be an object`;
}
