/**
 * The origin a provider's tokens and client secret are bound to: the issuer or
 * fixed token endpoint, and every endpoint an admin types. Stored tokens and
 * sealed secrets carry this string, so its value for each preset's defaults is
 * pinned: an upgrade must not retire them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOAuthError } from '../../../packages/engine/src/errors.js';
import { originMoved, providerOrigin } from '../../../packages/engine/src/provider_origin.js';
import { getPreset, listPresets } from '../../../packages/engine/src/providers/index.js';
import type { PresetName, ProviderConfig, ProviderEndpoints } from '../../../packages/engine/src/types.js';

function config(preset: PresetName, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return { id: 'p', display_name: 'P', preset, client_id: 'c', client_secret: 's', token_endpoint_auth_method: 'client_secret_basic', scopes: [], ...extra };
}

const ONE_ORIGIN: Partial<ProviderEndpoints> = {
  authorization_endpoint: 'https://auth.example.net/authorize',
  token_endpoint: 'https://auth.example.net/token',
  userinfo_endpoint: 'https://auth.example.net/me',
  revocation_endpoint: 'https://auth.example.net/revoke',
};

const PINNED: { preset: string; config: ProviderConfig; origin: string }[] = [
  { preset: 'github', config: config('github'), origin: 'https://github.com' },
  { preset: 'github enterprise', config: config('github', { base_url: 'https://git.example.org' }), origin: 'https://git.example.org' },
  { preset: 'google', config: config('google'), origin: 'https://accounts.google.com' },
  { preset: 'gitlab', config: config('gitlab'), origin: 'https://gitlab.com' },
  { preset: 'gitlab self-hosted', config: config('gitlab', { base_url: 'https://gitlab.example.org/sub' }), origin: 'https://gitlab.example.org' },
  { preset: 'microsoft', config: config('microsoft', { tenant: 'common' }), origin: 'https://login.microsoftonline.com' },
  { preset: 'microsoft tenant', config: config('microsoft', { tenant: 'contoso.example' }), origin: 'https://login.microsoftonline.com' },
  { preset: 'mattermost', config: config('mattermost', { base_url: 'https://mm.example.com' }), origin: 'https://mm.example.com' },
  { preset: 'oidc', config: config('oidc', { issuer: 'https://id.example.com/realms/a' }), origin: 'https://id.example.com' },
  { preset: 'oauth2 with discovery', config: config('oauth2', { issuer: 'https://as.example.com' }), origin: 'https://as.example.com' },
  { preset: 'oauth2 typed on one origin', config: config('oauth2', { endpoints: ONE_ORIGIN }), origin: 'https://auth.example.net' },
];

const ENDPOINT_NAMES: (keyof ProviderEndpoints)[] = [
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'revocation_endpoint',
  'registration_endpoint',
  'pushed_authorization_request_endpoint',
  'introspection_endpoint',
];

describe('providerOrigin', () => {
  for (const { preset, config: c, origin } of PINNED) {
    it(`when a ${preset} provider uses its defaults, then its origin is the one stored tokens and secrets were sealed with (${origin})`, () => {
      assert.equal(providerOrigin(c), origin);
    });
  }

  it('when typed endpoints stay on the issuer origin, then the origin does not change', () => {
    const endpoints = Object.fromEntries(ENDPOINT_NAMES.map((name) => [name, `https://id.example.com/other/${name}`]));
    const before = config('oidc', { issuer: 'https://id.example.com' });
    const after = config('oidc', { issuer: 'https://id.example.com', endpoints });
    assert.equal(providerOrigin(after), 'https://id.example.com');
    assert.equal(originMoved(before, after), false);
  });

  for (const name of ENDPOINT_NAMES) {
    it(`when the ${name} is typed on another origin, then that origin is bound too and the provider counts as moved`, () => {
      const before = config('oidc', { issuer: 'https://id.example.com' });
      const after = config('oidc', { issuer: 'https://id.example.com', endpoints: { [name]: 'https://elsewhere.example.org/x' } });
      assert.equal(providerOrigin(after), 'https://elsewhere.example.org https://id.example.com');
      assert.equal(originMoved(before, after), true);
      const typed = config('oauth2', { endpoints: { ...ONE_ORIGIN, [name]: 'https://elsewhere.example.org/x' } });
      assert.equal(originMoved(config('oauth2', { endpoints: ONE_ORIGIN }), typed), true);
    });
  }

  it('when a typed endpoint moves back onto the issuer origin, then the provider counts as moved (the set of origins changed)', () => {
    const away = config('oidc', { issuer: 'https://id.example.com', endpoints: { userinfo_endpoint: 'https://elsewhere.example.org/me' } });
    assert.equal(originMoved(away, config('oidc', { issuer: 'https://id.example.com' })), true);
  });

  it('when a typed endpoint is not a URL, then providerOrigin refuses with a config error naming the endpoints', () => {
    const bad = config('oidc', { issuer: 'https://id.example.com', endpoints: { revocation_endpoint: 'not a url' } });
    assert.throws(
      () => providerOrigin(bad),
      (err: unknown) => isOAuthError(err, 'config') && /one of its endpoints is not a URL/.test(err.adminDetail ?? err.userMessage),
    );
  });
});

/** Every URL a preset builds itself (fixed metadata, fallbacks, profile), by name. */
function builtUrls(c: ProviderConfig): Record<string, string> {
  const preset = getPreset(c.preset);
  const source = preset.metadataSource(c);
  const fixed = source.kind === 'static' ? source.metadata : {};
  const urls: Record<string, unknown> = { ...fixed, ...preset.fallbackEndpoints?.(c), profile: preset.profile?.(c).url };
  return Object.fromEntries(Object.entries(urls).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].startsWith('http')));
}

describe('preset endpoints and the bound origin', () => {
  const inputs = (host: string): Partial<ProviderConfig> => ({
    issuer: `https://${host}/issuer`,
    base_url: `https://${host}/sub`,
    tenant: host,
    endpoints: { authorization_endpoint: `https://${host}/authorize`, token_endpoint: `https://${host}/token` },
  });
  for (const preset of listPresets()) {
    it(`when a ${preset.name} admin's settings change an endpoint the preset builds, then that endpoint stays on a bound origin`, () => {
      const a = config(preset.name, inputs('a.example.org'));
      const b = config(preset.name, inputs('b.example.org'));
      const [urlsA, urlsB] = [builtUrls(a), builtUrls(b)];
      const bound = providerOrigin(a).split(' ');
      for (const [name, url] of Object.entries(urlsA)) {
        if (url === urlsB[name]) continue; // A constant of the preset: not the admin's to move.
        assert.ok(bound.includes(new URL(url).origin), `${preset.name} ${name} ${url} is outside ${bound.join(' ')}`);
      }
    });
  }
});
