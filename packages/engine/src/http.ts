/**
 * Outbound HTTP for the engine: every request goes through the injected fetch,
 * with a timeout and a capped answer (about 1 MiB), and only to public
 * https:// addresses, checked again at connect time after DNS resolution
 * (network_guard.ts). The engine option allowPrivateNetwork allows private
 * addresses and plain http (tests, local providers).
 */
import * as oauth from 'oauth4webapi';
import { deadlineSignal, directFetch } from './direct_fetch.js';
import { OAuthError } from './errors.js';
import { oauthError } from './error_mapping.js';
import { isPrivateAddress, privateAddressCause, publicOnlyDispatcher } from './network_guard.js';
import { cappedResponse, ResponseTooLargeError } from './util/read_capped.js';

export interface HttpDeps {
  /** The injected fetch; without one, the engine's own transport (direct_fetch.ts). */
  fetch?: typeof fetch;
  /** Timeout of each request, in ms. */
  timeoutMs: number;
  /** No address filter, plain http allowed. */
  allowPrivateNetwork?: boolean;
  /** How a refusal tells the reader to allow private networks (an application names its own setting). */
  privateNetworkHint?: string;
}

/** The refusal's advice by default: the engine's own option. */
export const PRIVATE_NETWORK_HINT = 'set the engine option allowPrivateNetwork: true';

const hintOf = (http: HttpDeps) => http.privateNetworkHint ?? PRIVATE_NETWORK_HINT;

/** `new URL()` without the throw (URL.parse is missing from early Node 20 releases). */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** True for a URL naming a private address literally (or localhost): no DNS needed to refuse it. */
function namesPrivateHost(url: URL): boolean {
  const host = bareHost(url).toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host);
}

/** True for URLs the engine may call: https:// to a public host, or anything http(s) when private networks are allowed. */
export function isAllowedUrl(url: string | URL, allowPrivateNetwork = false): boolean {
  const parsed = typeof url === 'string' ? parseUrl(url) : url;
  if (parsed === null || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return false;
  if (allowPrivateNetwork) return true;
  return parsed.protocol === 'https:' && !namesPrivateHost(parsed);
}

function assertAllowedUrl(http: HttpDeps, url: string): void {
  if (isAllowedUrl(url, http.allowPrivateNetwork)) return;
  const parsed = parseUrl(url);
  const why =
    parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && namesPrivateHost(parsed)
      ? `${bareHost(parsed)} is a private address; ${hintOf(http)} if this is intended.`
      : `provider URLs must use https:// (for http://, ${hintOf(http)}).`;
  throw new OAuthError('config', 'The provider is not configured correctly. Ask an admin to check it.', {
    adminDetail: `Refused to call ${parsed?.origin ?? 'an invalid URL'}: ${why}`,
  });
}

/** The one fetch of the engine: URL rule, address filter at connect time, deadline, capped answer, clear errors. */
async function guardedFetch(http: HttpDeps, url: string, init: RequestInit): Promise<Response> {
  assertAllowedUrl(http, url);
  const dispatcher = http.allowPrivateNetwork ? undefined : publicOnlyDispatcher();
  try {
    // The deadline of every request is set here: the engine's transport keeps it as one timer, cleared with the answer.
    if (!http.fetch) return await directFetch(url, init, { ...(dispatcher && { dispatcher }), timeoutMs: http.timeoutMs });
    const signal = deadlineSignal(init.signal, http.timeoutMs);
    return await cappedResponse(await http.fetch(url, { ...init, signal, ...(dispatcher && { dispatcher }) } as RequestInit));
  } catch (err) {
    const privateAddress = privateAddressCause(err);
    if (privateAddress) throw oauthError('config', `Refused to call ${parseUrl(url)?.origin}: ${privateAddress.message}; ${hintOf(http)} if this is intended.`);
    if (err instanceof ResponseTooLargeError)
      throw oauthError('provider_error', `${parseUrl(url)?.origin} answered with a body larger than the limit (${err.message}).`);
    throw err;
  }
}

/**
 * oauth4webapi request options for a call to `endpoint`: the guarded fetch (which sets
 * the timeout), and `allowInsecureRequests` only for http when private networks are allowed.
 */
export function requestOptions(http: HttpDeps, endpoint: string | undefined) {
  return {
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) => guardedFetch(http, url, init as RequestInit),
    [oauth.allowInsecureRequests]: endpoint !== undefined && http.allowPrivateNetwork === true && parseUrl(endpoint)?.protocol === 'http:',
  };
}

/** A plain request (no oauth4webapi helper exists for it): same guard and timeout. */
export function send(http: HttpDeps, url: string, init: RequestInit = {}): Promise<Response> {
  return guardedFetch(http, url, { ...init, redirect: 'manual' });
}
