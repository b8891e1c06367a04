/**
 * Mattermost as an OAuth 2.0 provider (v11.2+): RFC 8414 metadata at
 * {base}/.well-known/oauth-authorization-server, no OIDC, client_secret_post for
 * confidential clients and none (with PKCE) for public ones, the account at
 * /api/v4/users/me. No RFC 7009 endpoint: disconnect logs the OAuth session out,
 * which deletes its access and refresh token. The behaviour relied on is in
 * docs/mattermost.md, "Sign in with Mattermost, and Mattermost as a provider".
 */
import { isOAuthError } from '../errors.js';
import { send } from '../http.js';
import type { RevocationResult, TokenSet } from '../types.js';
import { type CustomRevocationInput, type ProviderPreset, firstString, requireBaseUrl } from './preset.js';
import { shimMattermostRegistrationResponse, shimMattermostTokenResponse } from './mattermost_shims.js';

/** POST /api/v4/users/logout with the OAuth access token revokes that session and its refresh token. */
async function logOut(input: CustomRevocationInput, tokens: TokenSet): Promise<number> {
  const url = `${requireBaseUrl(input.config)}/api/v4/users/logout`;
  const response = await send(input.http, url, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.access_token}`, 'x-requested-with': 'XMLHttpRequest' },
  });
  // Only the status matters; not awaited, a cancel may wait for the whole body.
  response.body?.cancel().catch(() => undefined);
  return response.status;
}

/** When the access token has expired, a refresh gives a live one to log out with. */
async function revokeByLogout(input: CustomRevocationInput): Promise<RevocationResult> {
  let status = await logOut(input, input.tokens);
  if (status === 401 && input.tokens.refresh_token) {
    const refreshed = await input.refresh().catch((err: unknown) => (isOAuthError(err, 'invalid_grant') ? undefined : Promise.reject(err)));
    if (!refreshed) return { supported: true, revoked: true, detail: 'Both tokens were already invalid at Mattermost.' };
    status = await logOut(input, refreshed);
  }
  if (status === 200) return { supported: true, revoked: true };
  if (status === 401) return { supported: true, revoked: true, detail: 'The access token was already invalid at Mattermost.' };
  return { supported: true, revoked: false, detail: `Mattermost answered HTTP ${status} to the logout of the OAuth session.` };
}

export const mattermostPreset: ProviderPreset = {
  name: 'mattermost',
  label: 'Mattermost',
  fields: [{ key: 'base_url', label: 'Mattermost site URL', required: true, help: 'The SiteURL of the Mattermost server (v11.2 or later).' }],
  defaults: { scopes: [], token_endpoint_auth_method: 'client_secret_post', extra_authorize_params: {} },
  metadataSource(config) {
    const base = requireBaseUrl(config);
    // Served under the site's own path, not where RFC 8414 puts it for sub-path issuers.
    return { kind: 'discovery', issuer: base, algorithm: 'oauth2', metadataUrl: `${base}/.well-known/oauth-authorization-server` };
  },
  fallbackEndpoints(config) {
    return { registration_endpoint: `${requireBaseUrl(config)}/api/v4/oauth/apps/register` };
  },
  profile(config) {
    return {
      url: `${requireBaseUrl(config)}/api/v4/users/me`,
      toAccount: (profile) => ({
        sub: firstString(profile, ['id']) ?? '',
        label: firstString(profile, ['username', 'email']) ?? '',
        profile,
      }),
    };
  },
  shimTokenResponse: shimMattermostTokenResponse,
  shimRegistrationResponse: shimMattermostRegistrationResponse,
  revoke: revokeByLogout,
  // The metadata lists only client_secret_post, yet public clients (none + PKCE) work.
  unlistedAuthMethods: ['none'],
};
