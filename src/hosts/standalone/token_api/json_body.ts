/**
 * The token endpoint's JSON body, read without express: what
 * `express.json({ limit, type: () => true })` gives, for a plain UTF-8 body
 * (the only kind the service reads this way; any other request goes through
 * express as before). No body at all is undefined; an empty one {}; a
 * leading byte-order mark is dropped; only an object or an array is JSON
 * here (body-parser's strict mode); anything else is 'invalid'.
 */
import type { IncomingMessage } from 'node:http';
import { readPlainBody } from '../../../util/plain_body.js';

export type JsonBody = { value: unknown } | { problem: 'too_large' | 'invalid' };

/** A request without Content-Length or Transfer-Encoding carries no body (body-parser reads none). */
const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));

/** JSON's own white space (RFC 8259: space, tab, line feed, carriage return), then the first character. */
const FIRST_CHARACTER = /^[ \t\n\r]*(.?)/;

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  if (!hasBody(req)) return { value: undefined };
  const read = await readPlainBody(req, limit);
  if (read === 'too_large') return { problem: 'too_large' };
  if (read === 'unreadable') return { problem: 'invalid' };
  const text = read.charCodeAt(0) === 0xfeff ? read.slice(1) : read;
  if (text.length === 0) return { value: {} };
  const first = FIRST_CHARACTER.exec(text)?.[1];
  if (first !== '{' && first !== '[') return { problem: 'invalid' };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { problem: 'invalid' };
  }
}
