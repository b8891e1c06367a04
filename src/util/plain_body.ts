/**
 * A request body read by hand, for the routes the service answers before
 * express sees the request (the command route's form, the token endpoint's
 * JSON): body-parser's layers (type and charset negotiation, inflation) cost
 * more there than this. Their callers send plain UTF-8, never compressed;
 * plainUtf8 says whether a request is such, readPlainBody reads its text.
 */
import type { IncomingMessage } from 'node:http';

/** Why a body was not read: larger than the limit, or broken off. */
export type BodyProblem = 'too_large' | 'unreadable';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** No content encoding (or identity) and no charset other than UTF-8. */
export function plainUtf8(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/** The body as UTF-8 text, or why not; a body over the limit is drained, not kept (the connection stays usable). */
export function readPlainBody(req: IncomingMessage, limit: number): Promise<string | BodyProblem> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    return Promise.resolve('too_large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    };
    const finish = (answer: string | BodyProblem) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(answer);
    };
    const onEnd = () => {
      if (size > limit) return finish('too_large');
      finish(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = () => finish('unreadable');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
