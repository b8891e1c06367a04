/**
 * The engine's own transport when no fetch is injected: one request through
 * undici's dispatcher API, its body read within the size limit, handed back
 * as a WHATWG Response for oauth4webapi. The engine's requests are small and
 * never follow redirects, which is all this serves; for them it gives the
 * answer fetch gives at about half of fetch's CPU per request (fetch builds
 * a Request, streams and a Response around every call). Anything it does not
 * serve goes to fetch.
 *
 * What fetch would do and this does too: `accept: *\/*` and `user-agent: node`
 * unless given, the content type of a string or URLSearchParams body, no
 * redirect followed (the engine asks `redirect: 'manual'`), a gzip, deflate or
 * br body decoded, aborts with the signal's reason, and any other failure as
 * TypeError("fetch failed") with its cause. It asks for no compression.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { request, type Dispatcher } from 'undici';
import { cappedResponse, MAX_RESPONSE_BYTES, ResponseTooLargeError } from './util/read_capped.js';

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

type HeaderRecord = Record<string, string>;

function headerRecord(headers: RequestInit['headers']): HeaderRecord {
  const out: HeaderRecord = {};
  // Headers joins repeated names the way fetch sends them.
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** The body as bytes or text with the content type fetch gives it, or undefined when this transport does not serve it. */
function bodyOf(body: RequestInit['body'], headers: HeaderRecord): { body?: string | Uint8Array } | undefined {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    return { body };
  }
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return { body: body.toString() };
  }
  if (body instanceof Uint8Array) return { body };
  return undefined;
}

/** fetch decodes these content codings (a list from the last applied back); anything else is handed over as sent, as fetch does. */
function decoded(bytes: Buffer, codings: string | undefined, limit: number): Buffer {
  const options = { maxOutputLength: limit };
  let out = bytes;
  try {
    for (const coding of (codings ?? '').split(',').reverse()) {
      const name = coding.trim().toLowerCase();
      if (name === 'gzip' || name === 'x-gzip') out = gunzipSync(out, options);
      else if (name === 'deflate') out = inflateSync(out, options);
      else if (name === 'br') out = brotliDecompressSync(out, options);
      else if (name !== '' && name !== 'identity') return out;
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ResponseTooLargeError(limit);
    throw new TypeError('fetch failed', { cause: err });
  }
  return out;
}

async function readBody(body: Dispatcher.ResponseData['body'], declared: number, limit: number): Promise<Buffer> {
  if (declared > limit) {
    body.destroy();
    throw new ResponseTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > limit) {
      body.destroy();
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function responseHeaders(raw: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/**
 * The answer with its body already read (within `limit`), as a Response whose
 * url is the one asked. A redirect is answered as it came, not followed.
 */
export async function directFetch(
  url: string,
  init: RequestInit,
  dispatcher: Dispatcher | undefined,
  limit = MAX_RESPONSE_BYTES,
  fallback: typeof fetch = fetch,
): Promise<Response> {
  const headers = headerRecord(init.headers);
  // Served here: a request that asks no redirect followed (as every engine request does), with a body this sends.
  const sent = init.redirect === 'manual' ? bodyOf(init.body, headers) : undefined;
  if (!sent) return cappedResponse(await fallback(url, { ...init, ...(dispatcher && { dispatcher }) } as RequestInit), limit);
  const { body } = sent;
  headers.accept ??= '*/*';
  headers['user-agent'] ??= 'node';
  const signal = init.signal ?? undefined;
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(url, {
      method: (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod,
      headers,
      ...(body !== undefined && { body }),
      ...(signal && { signal }),
      ...(dispatcher && { dispatcher }),
    });
  } catch (err) {
    throw signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err });
  }
  let bytes: Buffer;
  try {
    bytes = await readBody(answer.body, Number(answer.headers['content-length'] ?? ''), limit);
  } catch (err) {
    if (err instanceof ResponseTooLargeError) throw err;
    throw signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err });
  }
  const status = answer.statusCode;
  if (status < 200 || status > 599) throw new TypeError('fetch failed', { cause: new Error(`the server answered HTTP status ${status}`) });
  const contentCoding = answer.headers['content-encoding'];
  const content = NULL_BODY_STATUS.has(status)
    ? null
    : new Uint8Array(decoded(bytes, Array.isArray(contentCoding) ? contentCoding.join(',') : contentCoding, limit));
  const response = new Response(content, { status, statusText: answer.statusText ?? '', headers: responseHeaders(answer.headers) });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
