/**
 * The engine's own transport when no fetch is injected: one request
 * dispatched straight to undici's dispatcher, its body collected within the
 * size limit and handed back as a WHATWG Response for oauth4webapi
 * (util/read_response.ts). The engine's requests are small and never follow
 * redirects, which is all this serves; for them it gives the answer fetch
 * gives at a fraction of fetch's CPU (fetch builds a Request, streams, an
 * abort signal and a Response around every call; here the request's deadline
 * is one timer, cleared with the answer). Anything it does not serve goes to
 * fetch.
 *
 * What fetch would do and this does too: `accept: *\/*` and `user-agent: node`
 * unless given, the content type of a string or URLSearchParams body, no
 * redirect followed (the engine asks `redirect: 'manual'`), a gzip, deflate or
 * br body decoded, aborts with the signal's reason (a deadline passed with a
 * TimeoutError, as AbortSignal.timeout's), and any other failure as
 * TypeError("fetch failed") with its cause. It asks for no compression.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { getGlobalDispatcher, type Dispatcher } from 'undici';
import { cappedResponse, MAX_RESPONSE_BYTES, ResponseTooLargeError } from './util/read_capped.js';
import { hasNoBody, readResponse } from './util/read_response.js';

export interface DirectFetchOptions {
  /** Where to send it (default: undici's global dispatcher). */
  dispatcher?: Dispatcher;
  /** The most bytes of body read (default 1 MiB). */
  limit?: number;
  /** The request's deadline from its start: past it, the request is aborted with a TimeoutError. */
  timeoutMs?: number;
  /** What sends a request this transport does not serve (default: fetch). */
  fallback?: typeof fetch;
}

type HeaderRecord = Record<string, string>;

function headerRecord(headers: RequestInit['headers']): HeaderRecord {
  const out: HeaderRecord = {};
  // Headers joins repeated names the way fetch sends them.
  (headers instanceof Headers ? headers : new Headers(headers)).forEach((value, name) => {
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

/** The answer's headers from undici's raw list (name, value, name, value...), as fetch reads them. */
function headersOf(raw: Buffer[] | string[] | null): Headers {
  const headers = new Headers();
  for (let i = 0; raw && i + 1 < raw.length; i += 2) headers.append(raw[i]!.toString('latin1'), raw[i + 1]!.toString('latin1'));
  return headers;
}

const timedOut = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/** For fetch: the caller's signal and the deadline, whichever comes first. */
export function deadlineSignal(signal: AbortSignal | null | undefined, timeoutMs: number | undefined): AbortSignal | undefined {
  const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  return signal && deadline ? AbortSignal.any([signal, deadline]) : (signal ?? deadline);
}

/**
 * The answer with its body already read (within the limit), as a Response
 * whose url is the one asked. A redirect is answered as it came, not followed.
 */
export function directFetch(url: string, init: RequestInit, options: DirectFetchOptions = {}): Promise<Response> {
  const { dispatcher, limit = MAX_RESPONSE_BYTES, timeoutMs, fallback = fetch } = options;
  const headers = headerRecord(init.headers);
  // Served here: a request that asks no redirect followed (as every engine request does), with a body this sends.
  const sent = init.redirect === 'manual' ? bodyOf(init.body, headers) : undefined;
  if (!sent) return fetchedAndRead(url, init, options, fallback);
  headers.accept ??= '*/*';
  headers['user-agent'] ??= 'node';
  let target: URL;
  try {
    target = new URL(url);
  } catch (err) {
    return Promise.reject(new TypeError('fetch failed', { cause: err }));
  }
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let stopped: Error | undefined;
    let abortRequest: ((reason: Error) => void) | undefined;
    let answer: Answer | undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (outcome: { response: Response } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if ('response' in outcome) resolve(outcome.response);
      else reject(outcome.error);
    };
    /** Rejects with `reason` and stops the request: at once when it is on a socket, else as soon as it gets one. */
    const abort = (reason: unknown) => {
      if (settled) return;
      finish({ error: reason });
      stopped = reason instanceof Error ? reason : new Error('aborted', { cause: reason });
      abortRequest?.(stopped);
    };
    const onAbort = () => abort(signal!.reason);
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => abort(timedOut()), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    // The handler interface undici's own request() speaks, which every undici dispatcher takes, Node's
    // built-in one (the global dispatcher once fetch has run) as well as this package's.
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortWith) {
        abortRequest = abortWith;
        if (stopped) abortWith(stopped);
      },
      onHeaders(status, raw, _resume, statusText) {
        // An informational answer (1xx) is followed by the real one.
        if (status < 200) return true;
        answer = { status, statusText, headers: headersOf(raw) };
        if (Number(answer.headers.get('content-length') ?? '') > limit) abort(new ResponseTooLargeError(limit));
        return true;
      },
      onData(chunk) {
        total += chunk.byteLength;
        if (total > limit) abort(new ResponseTooLargeError(limit));
        else chunks.push(chunk);
        return true;
      },
      onComplete() {
        if (settled) return;
        try {
          finish({ response: answered(url, answer!, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), limit) });
        } catch (err) {
          finish({ error: err });
        }
      },
      onError(err) {
        finish({ error: new TypeError('fetch failed', { cause: err }) });
      },
    };
    try {
      (dispatcher ?? getGlobalDispatcher()).dispatch(
        {
          origin: target.origin,
          path: target.pathname + target.search,
          method: (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod,
          headers,
          ...(sent.body !== undefined && { body: sent.body }),
        },
        handler,
      );
    } catch (err) {
      finish({ error: new TypeError('fetch failed', { cause: err }) });
    }
  });
}

interface Answer {
  status: number;
  statusText: string;
  headers: Headers;
}

/** The Response of a complete answer: the status checked as fetch checks it, the body decoded. */
function answered(url: string, answer: Answer, bytes: Buffer, limit: number): Response {
  const { status } = answer;
  if (status < 200 || status > 599) throw new TypeError('fetch failed', { cause: new Error(`the server answered HTTP status ${status}`) });
  const body = hasNoBody(status) ? new Uint8Array(0) : new Uint8Array(decoded(bytes, answer.headers.get('content-encoding') ?? undefined, limit));
  return readResponse(body, { status, statusText: answer.statusText, headers: answer.headers, url });
}

/** A request this transport does not serve, sent by fetch with the same deadline and read within the same limit. */
async function fetchedAndRead(url: string, init: RequestInit, options: DirectFetchOptions, fallback: typeof fetch): Promise<Response> {
  const { dispatcher, limit, timeoutMs } = options;
  const signal = deadlineSignal(init.signal, timeoutMs);
  return cappedResponse(await fallback(url, { ...init, ...(signal && { signal }), ...(dispatcher && { dispatcher }) } as RequestInit), limit);
}
