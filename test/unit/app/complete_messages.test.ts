import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../../src/config/index.js';
import { createDeps } from '../../../src/service.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { oauth2Complete } from '../../../src/hosts/apps/calls/oauth2_complete.js';
import { stateHash } from '../../../src/hosts/apps/calls/oauth2_connect.js';
import { OAuthError } from '../../../packages/engine/src/errors.js';
import type { CallRequest } from '../../../src/hosts/apps/protocol/types.js';

const COMPLETE = 'http://mm.test/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete';

function setup(error: OAuthError) {
  const posts: string[] = [];
  const fakeFetch = (async (url: string, init: RequestInit) => {
    if (url.endsWith('/api/v4/posts')) posts.push(JSON.parse(String(init.body)).message);
    return new Response(url.endsWith('/channels/direct') ? '{"id":"dm1"}' : '{}');
  }) as unknown as typeof fetch;
  const config = loadConfig({ APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), APP_JWT_SECRET: 'x'.repeat(32) });
  const deps = createDeps(config, { fetch: fakeFetch, logger: createMemoryLogger() });
  deps.engine = { ...deps.engine, complete: async () => Promise.reject(error) };
  const state = `${'a'.repeat(20)}.u1`;
  const provider = { id: 'gh', display_name: 'GitHub', preset: 'github', client_id: 'c', auth: 'none', scopes: [], created_at: 0, updated_at: 0 };
  const req: CallRequest = {
    path: '/oauth2/complete',
    values: { state, code: 'c0de', provider: 'gh' },
    context: {
      mattermost_site_url: 'http://mm.test',
      bot_user_id: 'bot',
      bot_access_token: 'bt',
      acting_user: { id: 'u1' },
      acting_user_access_token: 'ut',
      oauth2: {
        complete_url: COMPLETE,
        data: { v: 1, providers: [provider] },
        user: { v: 1, connections: {}, flows: [{ h: stateHash(state), p: 'gh', at: Date.now() }], dm: 'dm1' },
      },
    },
  };
  return { deps, req, posts };
}

describe('complete: messages for a person', () => {
  it('when the provider does not know the redirect URI, then the user is told which URI to register, in the answer and the DM', async () => {
    const { deps, req, posts } = setup(new OAuthError('redirect_uri_mismatch', "The provider does not accept this app's redirect address."));
    await assert.rejects(oauth2Complete(req, deps), (err: Error) => err.message.includes(COMPLETE));
    assert.ok(posts.at(-1)?.includes(COMPLETE));
  });

  it('when the user refused at the provider, then the DM says so and names the provider', async () => {
    const { deps, req, posts } = setup(new OAuthError('access_denied', 'Access was refused at the provider, so nothing was connected.'));
    await assert.rejects(oauth2Complete(req, deps), OAuthError);
    assert.match(posts.at(-1) ?? '', /Connecting your GitHub account failed: Access was refused/);
  });
});
