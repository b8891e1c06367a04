/** The one place the driver talks HTTP: injected fetch, a timeout, typed errors. */
import { MattermostApiError } from './errors.js';
import { readCapped, ResponseTooLargeError } from './util/read_capped.js';
import { trimTrailingSlashes } from './util/trim_slashes.js';

export interface HttpOptions {
  /** The Mattermost server, e.g. https://mm.example.com (no trailing slash needed). */
  siteUrl: string;
  /** Bearer token: an App session token (bot_access_token or acting_user_access_token). */
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Already-serialized JSON. */
  body?: string;
}

export async function send(options: HttpOptions, req: HttpRequest): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const url = trimTrailingSlashes(options.siteUrl) + req.path;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: req.method,
      headers: {
        Authorization: `Bearer ${options.token}`,
        ...(req.body !== undefined && { 'Content-Type': 'application/json' }),
        'X-Requested-With': 'XMLHttpRequest',
      },
      ...(req.body !== undefined && { body: req.body }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not connect';
    throw new MattermostApiError(req.method, req.path, 0, reason);
  }
  let text: string;
  try {
    text = (await readCapped(response)).toString('utf8');
  } catch (err) {
    // A body over the limit is refused; a body cut by the network reads as empty, as before.
    if (err instanceof ResponseTooLargeError)
      throw new MattermostApiError(req.method, req.path, 0, `its answer was larger than ${err.limit / (1024 * 1024)} MiB`);
    text = '';
  }
  if (!response.ok) throw new MattermostApiError(req.method, req.path, response.status, text.slice(0, 300).trim());
  return text;
}

export function parseJson(method: string, path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MattermostApiError(method, path, 200, 'the answer is not JSON');
  }
}
