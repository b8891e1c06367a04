/**
 * Outbound HTTP for the engine: every request goes through the injected fetch,
 * with a timeout, and only to https:// (or http:// on the loopback interface,
 * for tests and local providers).
 */
import * as oauth from 'oauth4webapi';
import { OAuthError } from './errors.js';

export interface HttpDeps {
  fetch: typeof fetch;
  /** Timeout of each request, in ms. */
  timeoutMs: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `new URL()` without the throw (URL.parse is missing from early Node 20 releases). */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for http:// URLs on the loopback interface, the only plain-HTTP targets allowed. */
export function isLoopbackHttp(url: string | URL): boolean {
  const parsed = typeof url === 'string' ? parseUrl(url) : url;
  return parsed !== null && parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
}

/** True for https:// URLs and loopback http:// URLs. */
export function isAllowedUrl(url: string | URL): boolean {
  const parsed = typeof url === 'string' ? parseUrl(url) : url;
  return parsed !== null && (parsed.protocol === 'https:' || isLoopbackHttp(parsed));
}

function assertAllowedUrl(url: string): void {
  if (!isAllowedUrl(url)) {
    throw new OAuthError('config', 'The provider is not configured correctly. Ask an admin to check it.', {
      adminDetail: `Refused to call ${parseUrl(url)?.origin ?? 'an invalid URL'}: provider URLs must use https:// (http:// only on 127.0.0.1 or localhost).`,
    });
  }
}

/**
 * oauth4webapi request options for a call to `endpoint`: the injected fetch, the
 * timeout, and `allowInsecureRequests` only when that endpoint is loopback http.
 */
export function requestOptions(http: HttpDeps, endpoint: string | undefined) {
  return {
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) => {
      assertAllowedUrl(url);
      return http.fetch(url, init as RequestInit);
    },
    signal: () => AbortSignal.timeout(http.timeoutMs),
    [oauth.allowInsecureRequests]: endpoint !== undefined && isLoopbackHttp(endpoint),
  };
}

/** A plain request (no oauth4webapi helper exists for it): same guard and timeout. */
export function send(http: HttpDeps, url: string, init: RequestInit = {}): Promise<Response> {
  assertAllowedUrl(url);
  return http.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(http.timeoutMs) });
}
