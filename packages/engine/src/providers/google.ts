/**
 * Google: OIDC discovery at https://accounts.google.com. A refresh token comes
 * back only with access_type=offline, and again on later consents only with
 * prompt=consent. Revocation (RFC 7009 style) at https://oauth2.googleapis.com/revoke.
 * https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken
 * https://developers.google.com/identity/protocols/oauth2/web-server
 */
import type { IssuerTemplate, ProviderPreset } from './preset.js';

const ISSUER = 'https://accounts.google.com';

/** Google documents both "https://accounts.google.com" and "accounts.google.com" as id_token iss. */
const googleIssuer: IssuerTemplate = {
  accepts: (discovered) => discovered === ISSUER,
  idTokenIssuer: (discovered, claims) => (claims.iss === 'accounts.google.com' ? 'accounts.google.com' : discovered),
};

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
    return { kind: 'discovery', issuer: ISSUER, algorithm: 'oidc', issuerTemplate: googleIssuer };
  },
  fallbackEndpoints() {
    return { revocation_endpoint: 'https://oauth2.googleapis.com/revoke' };
  },
};
