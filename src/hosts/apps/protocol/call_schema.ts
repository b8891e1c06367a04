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

/*
 * The same rules as CallBody, hand-written for the hot path (every /bindings
 * call): zod's loose objects copy every key of the context, the acting user
 * and the expanded oauth2 record, which cost more than the whole bindings
 * answer. True only when CallBody would accept `body` and return an equal
 * value (zod drops own `__proto__` keys, so those go to zod); false sends the
 * body to CallBody, which answers with the same data or the issue to report.
 * test/unit/app/call_body_check.test.ts holds the two to each other.
 */
type Plain = Record<string, unknown>;
// JSON.parse only makes Object.prototype objects; anything else is zod's to judge.
const isPlain = (v: unknown): v is Plain =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype && !Object.hasOwn(v, '__proto__');
const isText = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const textFields = (o: Plain, names: readonly string[]) => names.every((n) => isText(o[n]));
const nullishOr = (v: unknown, check: (o: Plain) => boolean) => v === undefined || v === null || (isPlain(v) && check(v));

const CONTEXT_TEXT = ['mattermost_site_url', 'bot_user_id', 'bot_access_token', 'acting_user_access_token'] as const;
const OAUTH2_TEXT = ['connect_url', 'complete_url', 'client_id', 'client_secret', 'remote_root_url'] as const;
const BODY_TEXT = ['raw_command', 'selected_field', 'query'] as const;

const isOption = (v: unknown) => isPlain(v) && typeof v.value === 'string';
function isValue(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.length <= 100 && v.every(isOption);
  return isOption(v);
}

const isContext = (c: Plain) =>
  textFields(c, CONTEXT_TEXT) &&
  nullishOr(c.acting_user, (u) => typeof u.id === 'string' && isText(u.roles)) &&
  nullishOr(c.oauth2, (o) => textFields(o, OAUTH2_TEXT));

/** See above: a sound fast path to CallBody, never a looser one. */
export function isCallBody(body: unknown): body is CallBody {
  return (
    isPlain(body) &&
    textFields(body, BODY_TEXT) &&
    nullishOr(body.context, isContext) &&
    nullishOr(body.values, (values) => Object.values(values).every(isValue)) &&
    (body.expand === undefined || isPlain(body.expand))
  );
}

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
