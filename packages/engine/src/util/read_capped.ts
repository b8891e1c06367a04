/**
 * Reading an answer within a size limit: the body is counted as it streams
 * and the read stops at the limit, so a provider or server answering without
 * end cannot grow the App's memory.
 */
import { readResponse } from './read_response.js';

export const MAX_RESPONSE_BYTES = 1024 * 1024;

export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit >= 1024 * 1024 ? `${limit / (1024 * 1024)} MiB` : `${limit} bytes`}`);
    this.name = 'ResponseTooLargeError';
  }
}

/** The whole body, or ResponseTooLargeError as soon as it passes `limit` bytes. */
export async function readCapped(response: Response, limit = MAX_RESPONSE_BYTES): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? '');
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(limit);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The same answer with its body already read within `limit`, for code that reads it later (oauth4webapi). */
export async function cappedResponse(response: Response, limit = MAX_RESPONSE_BYTES): Promise<Response> {
  if (response.body === null) return response;
  const bytes = await readCapped(response, limit);
  const { status, statusText, headers, url } = response;
  return readResponse(new Uint8Array(bytes), { status, statusText, headers, url });
}
