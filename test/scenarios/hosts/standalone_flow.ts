/**
 * The standalone connect flow without a browser: the link, Sign in with
 * Mattermost (the user's Mattermost cookies), the service's own cookies, up to
 * the provider's authorization URL; oidc_provider.ts's authorize() passes the
 * provider's pages. Cookies are kept in one jar for 127.0.0.1, as a browser
 * keeps them across ports.
 */
import type { BrowserCookie } from '../backend.js';
import type { BrowserOutcome, RawFlow } from '../host.js';
import type { StartedOidcProvider } from '../../support/oidc_provider.js';

class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(initial: BrowserCookie[]) {
    for (const c of initial) this.cookies.set(c.name, c.value);
  }

  get header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
      if (expired) this.cookies.delete(pair.slice(0, i));
      else this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
}

/** The page's text as a person reads it. */
const pageText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

export interface StandaloneFlowInput {
  link: string;
  cookies: BrowserCookie[];
  provider: StartedOidcProvider;
  redirectUri: string;
  login: string;
  deny: boolean;
  completed: RegExp;
}

export async function standaloneFlow(input: StandaloneFlowInput): Promise<RawFlow> {
  const jar = new CookieJar(input.cookies);
  const get = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header } });
    jar.take(res);
    return res;
  };
  let url = input.link;
  for (let hop = 0; hop < 10 && !url.startsWith(input.provider.issuer); hop++) {
    const res = await get(url);
    const location = res.headers.get('location');
    if (!location) throw new Error(`the flow stopped at ${url} (HTTP ${res.status}): ${pageText(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  const params = await input.provider.authorize(url, { login: input.login, deny: input.deny });
  const completeUrl = `${input.redirectUri}?${new URLSearchParams(params)}`;
  return {
    completeUrl,
    complete: async (target = completeUrl): Promise<BrowserOutcome> => {
      const res = await get(target);
      const text = pageText(await res.text());
      return { completed: res.status === 200 && input.completed.test(text), text };
    },
  };
}
