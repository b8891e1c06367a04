/**
 * Any OpenID Connect provider, found by OIDC discovery at its issuer.
 * offline_access is honoured only with prompt=consent (OIDC Core §11), so it is
 * a default; an admin removes it by setting prompt to an empty value.
 * https://openid.net/specs/openid-connect-discovery-1_0.html
 */
import { type ProviderPreset, missingField } from './preset.js';

export const oidcPreset: ProviderPreset = {
  name: 'oidc',
  label: 'OpenID Connect',
  fields: [{ key: 'issuer', label: 'Issuer URL', required: true, help: 'The issuer; its /.well-known/openid-configuration is read.' }],
  defaults: {
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    token_endpoint_auth_method: 'client_secret_basic',
    extra_authorize_params: { prompt: 'consent' },
  },
  metadataSource(config) {
    if (!config.issuer) throw missingField(config, 'issuer');
    return { kind: 'discovery', issuer: config.issuer, algorithm: 'oidc' };
  },
};
