/**
 * Microsoft Entra ID (v2.0 endpoints). The tenant is common, organizations,
 * consumers or a tenant id. For the multi-tenant ones the metadata issuer is a
 * template, https://login.microsoftonline.com/{tenantid}/v2.0, and each id_token
 * carries its own tenant in `tid`: the issuer check uses the template filled with it.
 * offline_access gives a refresh token. Entra has no revocation endpoint.
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc
 */
import { oauthError } from '../error_mapping.js';
import { type IssuerTemplate, type ProviderPreset, missingField } from './preset.js';
import type { ProviderConfig } from '../types.js';

const LOGIN = 'https://login.microsoftonline.com';
const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);
const TENANT_FORMAT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/;
const TEMPLATE_ISSUER = /^https:\/\/login\.microsoftonline\.com\/[A-Za-z0-9{}.-]+\/v2\.0$/;

function tenantOf(config: ProviderConfig): string {
  const tenant = config.tenant?.trim();
  if (!tenant) throw missingField(config, 'tenant');
  if (!TENANT_FORMAT.test(tenant)) {
    throw oauthError('config', `Provider "${config.id}": the tenant must be common, organizations, consumers, a tenant id or a domain.`);
  }
  return tenant;
}

const multiTenantIssuer: IssuerTemplate = {
  accepts: (discovered) => TEMPLATE_ISSUER.test(discovered),
  idTokenIssuer: (discovered, claims) => (typeof claims.tid === 'string' ? discovered.replace('{tenantid}', claims.tid) : discovered),
};

export const microsoftPreset: ProviderPreset = {
  name: 'microsoft',
  label: 'Microsoft Entra ID',
  fields: [{ key: 'tenant', label: 'Tenant', required: true, default: 'common', help: 'common, organizations, consumers, or your tenant id.' }],
  defaults: {
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    token_endpoint_auth_method: 'client_secret_post',
    extra_authorize_params: {},
  },
  metadataSource(config) {
    const tenant = tenantOf(config);
    const issuer = `${LOGIN}/${tenant}/v2.0`;
    return MULTI_TENANT.has(tenant.toLowerCase())
      ? { kind: 'discovery', issuer, algorithm: 'oidc', issuerTemplate: multiTenantIssuer }
      : { kind: 'discovery', issuer, algorithm: 'oidc' };
  },
};
