/**
 * A generic OAuth 2.0 provider: RFC 8414 discovery when an issuer is given,
 * otherwise the endpoints typed in by the admin. The account is read from the
 * userinfo endpoint when there is one.
 * https://www.rfc-editor.org/rfc/rfc8414
 */
import { oauthError } from '../error_mapping.js';
import { parseUrl } from '../http.js';
import { type ProviderPreset, missingField } from './preset.js';

export const oauth2Preset: ProviderPreset = {
  name: 'oauth2',
  label: 'OAuth 2.0',
  fields: [
    { key: 'issuer', label: 'Issuer URL', required: false, help: 'For RFC 8414 discovery; leave empty to type the endpoints.' },
    { key: 'endpoints.authorization_endpoint', label: 'Authorization endpoint', required: false, help: 'Needed without an issuer.' },
    { key: 'endpoints.token_endpoint', label: 'Token endpoint', required: false, help: 'Needed without an issuer.' },
    { key: 'endpoints.userinfo_endpoint', label: 'User info endpoint', required: false, help: 'Where the account name is read.' },
    { key: 'endpoints.revocation_endpoint', label: 'Revocation endpoint', required: false, help: 'RFC 7009, for disconnect.' },
    { key: 'endpoints.registration_endpoint', label: 'Registration endpoint', required: false, help: 'RFC 7591, for dynamic registration.' },
    { key: 'endpoints.pushed_authorization_request_endpoint', label: 'PAR endpoint', required: false, help: 'RFC 9126 pushed authorization requests.' },
    { key: 'endpoints.introspection_endpoint', label: 'Introspection endpoint', required: false, help: 'RFC 7662 token introspection.' },
  ],
  defaults: { scopes: [], token_endpoint_auth_method: 'client_secret_basic', extra_authorize_params: {} },
  metadataSource(config) {
    if (config.issuer) return { kind: 'discovery', issuer: config.issuer, algorithm: 'oauth2' };
    const authorization = config.endpoints?.authorization_endpoint;
    const token = config.endpoints?.token_endpoint;
    if (!authorization) throw missingField(config, 'endpoints.authorization_endpoint');
    if (!token) throw missingField(config, 'endpoints.token_endpoint');
    const origin = parseUrl(authorization)?.origin;
    if (!origin) throw oauthError('config', `Provider "${config.id}": the authorization endpoint is not a URL.`);
    return {
      kind: 'static',
      metadata: { issuer: origin, authorization_endpoint: authorization, token_endpoint: token },
    };
  },
};
