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

/** A flow stopped where the provider sends the browser back: complete() opens that URL (at the proxy, or at one replica). */
export interface PendingComplete {
  complete(base?: string): Promise<ConnectResult>;
}

interface Browser {
  user: FakeUser;
  jar: Map<string, string>;
}

/** One request as the browser makes it: its cookies for that host, no redirect followed. */
async function browse(world: ConnectWorld, browser: Browser, url: string): Promise<Response> {
  const atMattermost = url.startsWith(`${world.mmUrl}/`);
  const cookie = atMattermost ? `MMAUTHTOKEN=${browser.user.id}` : [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  if (!atMattermost) {
    for (const set of res.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const at = pair.indexOf('=');
      browser.jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  return res;
}

const pageText = async (res: Response): Promise<ConnectResult> => ({
  status: res.status,
  text: (await res.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '),
});

/** Follows redirects from url until a page (returned), or until the provider's own pages (their URL). */
async function follow(world: ConnectWorld, browser: Browser, start: string): Promise<ConnectResult | { provider: string }> {
  let url = start;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (url.startsWith(`${world.issuer}/`)) return { provider: url };
    const res = await browse(world, browser, url);
    const location = res.headers.get('location');
    if (!location) return pageText(res);
    await res.body?.cancel();
    url = new URL(location, url).href;
  }
  throw new Error(`connect for ${browser.user.username}: too many redirects`);
}

/** `/oauth2 connect`, the link, Sign in with Mattermost and the provider's pages; stops before the complete URL. */
export async function startConnectOverHttp(world: ConnectWorld, user: FakeUser, login: string, provider: string): Promise<PendingComplete> {
  const answer = await world.command(user, `connect ${provider}`);
  const link = /\((http:[^)]+)\)/.exec(answer.text)?.[1];
  if (!link) throw new Error(`no connect link for ${user.username}: HTTP ${answer.status} ${answer.text}`);
  const browser: Browser = { user, jar: new Map() };
  const reached = await follow(world, browser, link);
  if (!('provider' in reached)) throw new Error(`connect for ${user.username} stopped before the provider: HTTP ${reached.status} ${reached.text}`);
  const params = new URLSearchParams(await world.authorize(reached.provider, { login }));
  return {
    async complete(base) {
      const url = new URL(`${world.completeUrl}?${params}`);
      const target = base ? `${base}${url.pathname}${url.search}` : url.href;
      const done = await follow(world, browser, target);
      if ('provider' in done) throw new Error(`connect for ${user.username}: sent back to the provider`);
      return done;
    },
  };
}

export async function connectOverHttp(world: ConnectWorld, user: FakeUser, login: string, provider: string): Promise<ConnectResult> {
  return (await startConnectOverHttp(world, user, login, provider)).complete();
}
