/**
 * The connect flow a browser makes, over plain HTTP: `/oauth2 connect` -> the
 * link -> Sign in with Mattermost (the fake, the user chosen by MMAUTHTOKEN)
 * -> the provider's login and consent (oidc_provider authorize()) -> the
 * complete page. Redirects are followed by hand with a cookie jar for the
 * service, so many users can connect at once without a browser.
 */
import type { AuthorizeOptions } from '../oidc_provider.js';
import type { FakeUser } from '../standalone/fake_mattermost.js';

export interface ConnectWorld {
  command(user: FakeUser, text: string): Promise<{ status: number; text: string }>;
  mmUrl: string;
  issuer: string;
  /** Where the provider sends the browser back (the service's complete URL). */
  completeUrl: string;
  authorize(url: string, options?: AuthorizeOptions): Promise<Record<string, string>>;
}

export interface ConnectResult {
  /** The last page the service answered. */
  status: number;
  text: string;
}

const MAX_HOPS = 20;

export async function connectOverHttp(world: ConnectWorld, user: FakeUser, login: string, provider: string): Promise<ConnectResult> {
  const answer = await world.command(user, `connect ${provider}`);
  const link = /\((http:[^)]+)\)/.exec(answer.text)?.[1];
  if (!link) throw new Error(`no connect link for ${user.username}: HTTP ${answer.status} ${answer.text}`);
  const jar = new Map<string, string>();
  let url = link;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (url.startsWith(`${world.issuer}/`)) {
      const params = await world.authorize(url, { login });
      url = `${world.completeUrl}?${new URLSearchParams(params)}`;
      continue;
    }
    const cookie = url.startsWith(`${world.mmUrl}/`) ? `MMAUTHTOKEN=${user.id}` : [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    if (!url.startsWith(`${world.mmUrl}/`)) {
      for (const set of res.headers.getSetCookie()) {
        const [pair = ''] = set.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
    }
    const location = res.headers.get('location');
    if (!location) return { status: res.status, text: (await res.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') };
    await res.body?.cancel();
    url = new URL(location, url).href;
  }
  throw new Error(`connect for ${user.username}: too many redirects`);
}
