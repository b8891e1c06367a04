import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppsPluginClient, DriverInputError, MattermostApiError } from '../../../packages/driver/src/index.js';

type Seen = { url: string; method: string; auth: string | null; body?: string };
function client(answer: (seen: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fakeFetch = (async (url: string, init: RequestInit) => {
    const s: Seen = {
      url,
      method: String(init.method),
      auth: new Headers(init.headers).get('authorization'),
      ...(typeof init.body === 'string' && { body: init.body }),
    };
    seen.push(s);
    return answer(s);
  }) as unknown as typeof fetch;
  return { seen, kv: new AppsPluginClient({ siteUrl: 'http://mm.test/', token: 'tok', fetch: fakeFetch }) };
}

describe('Apps plugin driver', () => {
  it('when a value is set and read, then it goes to the kv path with the bearer token', async () => {
    const { seen, kv } = client((s) => new Response(s.method === 'GET' ? '{"a":1}' : '{"changed":true}'));
    assert.equal(await kv.kvSet('key1', { a: 1 }, 'p'), true);
    assert.deepEqual(await kv.kvGet('key1', 'p'), { a: 1 });
    assert.equal(seen[0]!.url, 'http://mm.test/plugins/com.mattermost.apps/api/v1/kv/p/key1');
    assert.equal(seen[0]!.auth, 'Bearer tok');
    assert.equal(seen[0]!.body, '{"a":1}');
  });

  it('when a kv key is unset, then the plugin answers {} and the driver returns undefined', async () => {
    const { kv } = client(() => new Response('{}'));
    assert.equal(await kv.kvGet('missing'), undefined);
  });

  for (const [name, call] of [
    ['a prefix over 2 characters', (kv: AppsPluginClient) => kv.kvSet('k', 1, 'abc')],
    ['a key with /', (kv: AppsPluginClient) => kv.kvSet('a/b', 1)],
    ['an empty key', (kv: AppsPluginClient) => kv.kvGet('')],
    ['a value over 8 KiB', (kv: AppsPluginClient) => kv.kvSet('k', 'x'.repeat(8200))],
    ['a value that is not JSON', (kv: AppsPluginClient) => kv.kvSet('k', () => 1)],
    ['oauth2/user over 8 KiB', (kv: AppsPluginClient) => kv.storeOAuth2User({ x: 'y'.repeat(9000) })],
  ] as const) {
    it(`when given ${name}, then it refuses before sending`, async () => {
      const { seen, kv } = client(() => new Response('{}'));
      await assert.rejects(call(kv), DriverInputError);
      assert.equal(seen.length, 0);
    });
  }

  it('when oauth2/user was never stored, then the empty body means undefined', async () => {
    const { kv } = client(() => new Response(''));
    assert.equal(await kv.getOAuth2User(), undefined);
  });

  it('when the plugin answers non-2xx, then a typed error carries the status and the path', async () => {
    const { kv } = client(() => new Response('size limit of 8Kb exceeded', { status: 500 }));
    const err = await kv.storeOAuth2App({ client_id: 'a', client_secret: 'b' }).catch((e: unknown) => e);
    assert.ok(err instanceof MattermostApiError);
    assert.equal(err.status, 500);
    assert.equal(err.path, '/plugins/com.mattermost.apps/api/v1/oauth2/app');
    assert.equal(err.unavailable, true);
  });

  it('when the server cannot be reached, then the error has status 0 and no token', async () => {
    const { kv } = client(() => {
      throw new TypeError('fetch failed');
    });
    const err = (await kv.kvGet('k').catch((e: unknown) => e)) as MattermostApiError;
    assert.equal(err.status, 0);
    assert.ok(!err.message.includes('tok'));
  });
});
