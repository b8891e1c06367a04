/**
 * A fetch stand-in for preset tests: answers by "METHOD url-without-query",
 * records every request, and can fail like the network or hang until the timeout.
 * Nothing leaves the process.
 */
import * as jose from 'jose';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

export type StubAnswer = Response | 'network-failure' | 'hang';
export type StubRoute = StubAnswer | ((request: RecordedRequest) => StubAnswer | Promise<StubAnswer>);

export interface StubFetch {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** The requests to one route, "METHOD url". */
  to(route: string): RecordedRequest[];
}

export function stubFetch(routes: Record<string, StubRoute>): StubFetch {
  const requests: RecordedRequest[] = [];
  const stub = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init.method ?? 'GET').toUpperCase();
    const body = init.body === undefined || init.body === null ? '' : String(init.body);
    const request = { method, url, headers: new Headers(init.headers), body };
    requests.push(request);
    const route = routes[`${method} ${url.origin}${url.pathname}`];
    if (route === undefined) throw new Error(`stubFetch: no route for ${method} ${url.href}`);
    const answer = typeof route === 'function' ? await route(request) : route;
    if (answer === 'network-failure') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    if (answer === 'hang') return hangUntilAborted(init.signal);
    return copyOf(answer);
  };
  return {
    fetch: stub as typeof fetch,
    requests,
    to: (route) => requests.filter((r) => `${r.method} ${r.url.origin}${r.url.pathname}` === route),
  };
}

/** A fresh copy, so each request gets an unread body (a clone would tee the original). */
async function copyOf(answer: Response): Promise<Response> {
  const body = answer.status === 204 || answer.status === 304 ? null : await answer.clone().arrayBuffer();
  return new Response(body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
}

/** Never answers; rejects when the request's signal aborts. A referenced timer keeps the test process alive meanwhile (AbortSignal.timeout's is unreferenced). */
function hangUntilAborted(signal: AbortSignal | null | undefined): Promise<Response> {
  return new Promise((_resolve, reject) => {
    const keepAlive = setTimeout(() => reject(new Error('stubFetch: hung request was never aborted')), 10_000);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(keepAlive);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** An HTML response (what a proxy or login page answers instead of JSON). */
export function html(status: number, text = '<html><body>Service Unavailable</body></html>'): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/html' } });
}

/** A signing key and its JWKS, to issue id_tokens a stubbed provider would. */
export async function idTokenSigner() {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const sign = (claims: Record<string, unknown>) =>
    new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt().setExpirationTime('5m').sign(privateKey);
  return { jwks, sign };
}
