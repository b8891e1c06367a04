/**
 * GitLab (gitlab.com or self-hosted): OIDC discovery at the base URL, access
 * tokens of 2 hours with rotating refresh tokens, RFC 7009 revocation at /oauth/revoke.
 * https://docs.gitlab.com/integration/openid_connect_provider/
 * https://docs.gitlab.com/api/oauth2/
 */
import { type ProviderPreset, requireBaseUrl } from './preset.js';

const GITLAB_COM = 'https://gitlab.com';

export const gitlabPreset: ProviderPreset = {
  name: 'gitlab',
  label: 'GitLab',
  fields: [{ key: 'base_url', label: 'GitLab URL', required: false, default: GITLAB_COM, help: 'The address of a self-hosted GitLab; empty for gitlab.com.' }],
  defaults: { scopes: ['openid', 'profile', 'email'], token_endpoint_auth_method: 'client_secret_basic', extra_authorize_params: {} },
  metadataSource(config) {
    return { kind: 'discovery', issuer: requireBaseUrl(config, GITLAB_COM), algorithm: 'oidc' };
  },
  fallbackEndpoints(config) {
    const base = requireBaseUrl(config, GITLAB_COM);
    return { revocation_endpoint: `${base}/oauth/revoke`, userinfo_endpoint: `${base}/oauth/userinfo` };
  },
};
