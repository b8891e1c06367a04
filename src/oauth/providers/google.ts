/**
 * Google: OIDC discovery at https://accounts.google.com. A refresh token comes
 * back only with access_type=offline, and again on later consents only with
 * prompt=consent. Revocation (RFC 7009 style) at https://oauth2.googleapis.com/revoke.
 * https://developers.google.com/identity/protocols/oauth2/web-server
 */
import type { ProviderPreset } from './preset.js';

export const googlePreset: ProviderPreset = {
  name: 'google',
  label: 'Google',
  fields: [],
  defaults: {
    scopes: ['openid', 'email', 'profile'],
    token_endpoint_auth_method: 'client_secret_basic',
    extra_authorize_params: { access_type: 'offline', prompt: 'consent' },
  },
  metadataSource() {
    return { kind: 'discovery', issuer: 'https://accounts.google.com', algorithm: 'oidc' };
  },
  fallbackEndpoints() {
    return { revocation_endpoint: 'https://oauth2.googleapis.com/revoke' };
  },
};
