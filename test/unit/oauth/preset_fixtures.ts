/**
 * One stubbed provider per preset: its metadata (as the real provider publishes
 * it, trimmed), its token and account endpoints, and a config for it.
 */
import type { PresetName, ProviderConfig } from '../../../packages/engine/src/types.js';
import { type StubRoute, idTokenSigner, json } from './stub_fetch.js';

export interface PresetFixture {
  name: PresetName;
  config: ProviderConfig;
  /** Discovery and JWKS routes. */
  routes: Record<string, StubRoute>;
  tokenRoute: string;
  accountRoute: string;
  accountBody: Record<string, unknown>;
  expectedAccount: { sub: string; label: string };
  /** Set for OIDC presets: the iss an id_token must carry. */
  idTokenIssuer?: string;
  revocationRoute?: string;
}

export const CLIENT_SECRET = 'client-secret-value-0123456789';
export const SIGNER = await idTokenSigner();

function config(preset: PresetName, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    id: preset,
    display_name: preset,
    preset,
    client_id: `${preset}-client`,
    client_secret: CLIENT_SECRET,
    token_endpoint_auth_method: 'client_secret_post',
    scopes: [],
    ...extra,
  };
}

function oidcMetadata(issuer: string, base: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    jwks_uri: `${base}/jwks`,
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    ...extra,
  };
}

/** As Mattermost v11.2+ publishes it with dynamic registration on (docs/mattermost.md). */
export const MATTERMOST_METADATA = {
  issuer: 'https://mm.example.com',
  authorization_endpoint: 'https://mm.example.com/oauth/authorize',
  token_endpoint: 'https://mm.example.com/oauth/access_token',
  response_types_supported: ['code'],
  registration_endpoint: 'https://mm.example.com/api/v4/oauth/apps/register',
  scopes_supported: ['user'],
  grant_types_supported: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_methods_supported: ['client_secret_post'],
  code_challenge_methods_supported: ['S256'],
};

const OIDC_USER = { sub: 'user-1', email: 'user@example.com', name: 'User One', preferred_username: 'user1' };

export const FIXTURES: PresetFixture[] = [
  {
    name: 'github',
    config: config('github'),
    routes: {},
    tokenRoute: 'POST https://github.com/login/oauth/access_token',
    accountRoute: 'GET https://api.github.com/user',
    accountBody: { id: 583231, login: 'octocat', name: 'The Octocat' },
    expectedAccount: { sub: '583231', label: 'octocat' },
  },
  {
    name: 'gitlab',
    config: config('gitlab', { base_url: 'https://gitlab.example.com', token_endpoint_auth_method: 'client_secret_basic' }),
    routes: {
      'GET https://gitlab.example.com/.well-known/openid-configuration': json(
        200,
        oidcMetadata('https://gitlab.example.com', 'https://gitlab.example.com/oauth'),
      ),
      'GET https://gitlab.example.com/oauth/jwks': json(200, SIGNER.jwks),
    },
    tokenRoute: 'POST https://gitlab.example.com/oauth/token',
    accountRoute: 'GET https://gitlab.example.com/oauth/userinfo',
    accountBody: { ...OIDC_USER, nickname: 'user1' },
    expectedAccount: { sub: 'user-1', label: 'user1' },
    idTokenIssuer: 'https://gitlab.example.com',
    revocationRoute: 'POST https://gitlab.example.com/oauth/revoke',
  },
  {
    name: 'google',
    config: config('google'),
    routes: {
      'GET https://accounts.google.com/.well-known/openid-configuration': json(
        200,
        oidcMetadata('https://accounts.google.com', 'https://oauth2.googleapis.com'),
      ),
      'GET https://oauth2.googleapis.com/jwks': json(200, SIGNER.jwks),
    },
    tokenRoute: 'POST https://oauth2.googleapis.com/token',
    accountRoute: 'GET https://oauth2.googleapis.com/userinfo',
    accountBody: { sub: 'user-1', email: 'user@gmail.com', name: 'User One' },
    expectedAccount: { sub: 'user-1', label: 'user@gmail.com' },
    idTokenIssuer: 'https://accounts.google.com',
    revocationRoute: 'POST https://oauth2.googleapis.com/revoke',
  },
  {
    name: 'microsoft',
    config: config('microsoft', { tenant: 'common' }),
    routes: {
      'GET https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration': json(
        200,
        oidcMetadata('https://login.microsoftonline.com/{tenantid}/v2.0', 'https://login.microsoftonline.com/common/oauth2/v2.0', {
          userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
          code_challenge_methods_supported: undefined,
        }),
      ),
      'GET https://login.microsoftonline.com/common/oauth2/v2.0/jwks': json(200, SIGNER.jwks),
    },
    tokenRoute: 'POST https://login.microsoftonline.com/common/oauth2/v2.0/token',
    accountRoute: 'GET https://graph.microsoft.com/oidc/userinfo',
    accountBody: { sub: 'user-1', name: 'User One', email: 'user@contoso.example' },
    expectedAccount: { sub: 'user-1', label: 'user@contoso.example' },
    idTokenIssuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
  },
  {
    name: 'mattermost',
    config: config('mattermost', { base_url: 'https://mm.example.com' }),
    routes: { 'GET https://mm.example.com/.well-known/oauth-authorization-server': json(200, MATTERMOST_METADATA) },
    tokenRoute: 'POST https://mm.example.com/oauth/access_token',
    accountRoute: 'GET https://mm.example.com/api/v4/users/me',
    accountBody: { id: 'u8xk3pw6yfbd5mwo3ua4hx7bsr', username: 'alice', email: 'alice@example.com', roles: 'system_user' },
    expectedAccount: { sub: 'u8xk3pw6yfbd5mwo3ua4hx7bsr', label: 'alice' },
  },
  {
    name: 'oauth2',
    config: config('oauth2', {
      endpoints: {
        authorization_endpoint: 'https://auth.example.net/authorize',
        token_endpoint: 'https://auth.example.net/token',
        userinfo_endpoint: 'https://api.example.net/me',
      },
    }),
    routes: {},
    tokenRoute: 'POST https://auth.example.net/token',
    accountRoute: 'GET https://api.example.net/me',
    accountBody: { id: 7, username: 'bob' },
    expectedAccount: { sub: '7', label: 'bob' },
  },
];

/** The Microsoft tenant whose issuer the fixture's id_tokens carry. */
export const MICROSOFT_TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
