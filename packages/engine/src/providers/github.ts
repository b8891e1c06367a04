/**
 * GitHub (and GitHub Enterprise Server): OAuth 2.0 without discovery or OIDC.
 * Quirks: the token endpoint answers 200 with an error body; the account comes
 * from the REST API; revocation is not RFC 7009 (it needs basic auth on the REST
 * API), so it is reported as unsupported.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 */
import { type ProviderPreset, firstString } from './preset.js';
import { oauthErrorResponse, peekJsonObject } from './shim.js';
import type { ProviderConfig } from '../types.js';
import { trimTrailingSlashes } from '../util/trim_slashes.js';

const GITHUB_COM = 'https://github.com';

/** GitHub's token error names, as RFC 6749 §5.2 names. */
const RFC_ERROR_FOR: Record<string, string> = {
  bad_verification_code: 'invalid_grant',
  bad_refresh_token: 'invalid_grant',
  incorrect_client_credentials: 'invalid_client',
};

function webBase(config: ProviderConfig): string {
  return trimTrailingSlashes(config.base_url ?? GITHUB_COM);
}

function apiBase(config: ProviderConfig): string {
  const web = webBase(config);
  return web === GITHUB_COM ? 'https://api.github.com' : `${web}/api/v3`;
}

/** GitHub answers token errors with HTTP 200 and {"error": ...}: make it a 400 oauth4webapi understands. */
async function shimGitHubTokenResponse(response: Response): Promise<Response> {
  if (response.status !== 200) return response;
  const body = await peekJsonObject(response);
  if (typeof body?.error !== 'string') return response;
  const description = firstString(body, ['error_description']) ?? 'no description';
  return oauthErrorResponse(response, RFC_ERROR_FOR[body.error] ?? body.error, `${description} (GitHub error=${body.error} with HTTP 200)`);
}

export const githubPreset: ProviderPreset = {
  name: 'github',
  label: 'GitHub',
  fields: [{ key: 'base_url', label: 'GitHub Enterprise Server URL', required: false, default: GITHUB_COM, help: 'Leave empty for github.com.' }],
  defaults: { scopes: ['read:user'], token_endpoint_auth_method: 'client_secret_post', extra_authorize_params: {} },
  metadataSource(config) {
    const base = webBase(config);
    return {
      kind: 'static',
      metadata: {
        issuer: base,
        authorization_endpoint: `${base}/login/oauth/authorize`,
        token_endpoint: `${base}/login/oauth/access_token`,
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      },
    };
  },
  profile(config) {
    return {
      url: `${apiBase(config)}/user`,
      headers: { accept: 'application/vnd.github+json', 'user-agent': 'oauth2-connect', 'x-github-api-version': '2022-11-28' },
      toAccount: (profile) => ({
        sub: firstString(profile, ['id']) ?? '',
        label: firstString(profile, ['login', 'name']) ?? '',
        profile,
      }),
    };
  },
  shimTokenResponse: shimGitHubTokenResponse,
};
