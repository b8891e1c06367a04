/**
 * The command request's urlencoded body, read without express's body parser:
 * the command route is the one every `/oauth2` command takes, and
 * body-parser's layers (type and charset negotiation, inflation, qs) cost
 * more there than the plain reading below. What Mattermost sends is plain
 * `application/x-www-form-urlencoded` UTF-8, never compressed; anything else
 * is refused as unreadable. Repeated keys (user_mentions…) arrive as arrays,
 * as body-parser gave them.
 */
import type { IncomingMessage } from 'node:http';
import { parse } from 'node:querystring';
import { plainUtf8, readPlainBody, type BodyProblem } from '../../../util/plain_body.js';

export type FormBody = Record<string, string | string[] | undefined>;

/** Why a body was not read: too large (bytes or fields), or not a plain UTF-8 form. */
export type FormProblem = BodyProblem;

export interface FormLimits {
  bytes: number;
  fields: number;
}

function fieldCount(text: string): number {
  let count = text === '' ? 0 : 1;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) count += 1;
  return count;
}

/** The body's fields (a null-prototype object), or why it was not read; a body over the limit is drained, not kept. */
export async function readForm(req: IncomingMessage, limits: FormLimits): Promise<FormBody | FormProblem> {
  if (!plainUtf8(req)) {
    req.resume();
    return 'unreadable';
  }
  const text = await readPlainBody(req, limits.bytes);
  if (text === 'too_large' || text === 'unreadable') return text;
  if (fieldCount(text) > limits.fields) return 'too_large';
  return parse(text, '&', '=', { maxKeys: 0 }) as FormBody;
}
