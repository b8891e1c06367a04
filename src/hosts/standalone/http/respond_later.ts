/**
 * Delayed command answers through response_url (30 minutes, 5 uses, posts as
 * the invoking user: docs/mattermost.md, "Delayed answers"). The URL comes in the request,
 * so it is used only when it is http(s), on APP_MATTERMOST_URL's origin, under
 * /hooks/commands/; the request is bounded in time.
 */
import type { CommandResponse } from '../commands/types.js';
import type { StandaloneDeps, StandaloneSettings } from '../deps.js';
import { trimTrailingSlashes } from '../../../util/trim_slashes.js';

/** True when the URL is a response_url of the configured Mattermost. */
export function isTrustedResponseUrl(mattermostUrl: string, responseUrl: string): boolean {
  let url: URL;
  let site: URL;
  try {
    url = new URL(responseUrl);
    site = new URL(mattermostUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin !== site.origin || url.username || url.password) return false;
  const base = trimTrailingSlashes(site.pathname);
  return /^\/hooks\/commands\/[a-z0-9]{26}$/.test(url.pathname.slice(base.length)) && url.pathname.startsWith(`${base}/hooks/`);
}

/** Posts the answer; false (and a log line) when the URL is refused or Mattermost did not accept it. */
export async function respondLater(
  deps: Pick<StandaloneDeps, 'fetch' | 'logger'> & { settings: StandaloneSettings },
  responseUrl: string,
  body: CommandResponse,
): Promise<boolean> {
  if (!isTrustedResponseUrl(deps.settings.mattermostUrl, responseUrl)) {
    deps.logger.warn('response_url refused', { reason: 'not a command hook of the configured Mattermost' });
    return false;
  }
  try {
    const response = await deps.fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.settings.httpTimeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 200) return true;
    deps.logger.warn('response_url answer refused', { status: response.status });
  } catch (err) {
    deps.logger.warn('response_url failed', { error: err });
  }
  return false;
}
