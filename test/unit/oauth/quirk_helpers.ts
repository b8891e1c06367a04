/** Helpers shared by the preset quirk tests: a stubbed engine and a code exchange. */
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import type { PresetName, ProviderConfig, TokenSet } from '../../../packages/engine/src/types.js';
import { FIXTURES, type PresetFixture } from './preset_fixtures.js';
import { type StubRoute, stubFetch } from './stub_fetch.js';

export const TOKENS: TokenSet = { access_token: 'access-1', refresh_token: 'refresh-1', token_type: 'bearer', obtained_at: 1 };
export const fixture = (name: PresetName): PresetFixture => FIXTURES.find((f) => f.name === name)!;

export function engineWith(routes: Record<string, StubRoute>) {
  const stub = stubFetch(routes);
  return { stub, engine: createOAuthEngine({ fetch: stub.fetch, now: () => 1000, httpTimeoutMs: 1000, discoveryTtlMs: 60_000 }) };
}

export function exchange(config: ProviderConfig, engine: ReturnType<typeof engineWith>['engine']) {
  return engine.complete(config, {
    params: { code: 'c', state: 's' },
    redirect_uri: 'https://app.example/cb',
    expected_state: 's',
    code_verifier: 'v'.repeat(43),
  });
}
