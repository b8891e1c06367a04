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

export type FormBody = Record<string, string | string[] | undefined>;

/** Why a body was not read: too large (bytes or fields), or not a plain UTF-8 form. */
export type FormProblem = 'too_large' | 'unreadable';

export interface FormLimits {
  bytes: number;
  fields: number;
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** A charset other than UTF-8, or a compressed body: not what Mattermost sends. */
function unreadableHeaders(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return true;
  const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  return charset !== undefined && charset !== 'utf-8' && charset !== 'utf8';
}

function fieldCount(text: string): number {
  let count = text === '' ? 0 : 1;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) count += 1;
  return count;
}

/** The body's fields (a null-prototype object), or why it was not read; a body over the limit is drained, not kept. */
export function readForm(req: IncomingMessage, limits: FormLimits): Promise<FormBody | FormProblem> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (unreadableHeaders(req)) return drained(req, 'unreadable');
  if (declared > limits.bytes) return drained(req, 'too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limits.bytes) chunks.push(chunk);
    };
    const finish = (answer: FormBody | FormProblem) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(answer);
    };
    const onEnd = () => {
      if (size > limits.bytes) return finish('too_large');
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
      if (fieldCount(text) > limits.fields) return finish('too_large');
      finish(parse(text, '&', '=', { maxKeys: 0 }) as FormBody);
    };
    const onError = () => finish('unreadable');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Answers at once and lets the rest of the body go by (the connection stays usable). */
function drained(req: IncomingMessage, problem: FormProblem): Promise<FormProblem> {
  req.resume();
  return Promise.resolve(problem);
}
