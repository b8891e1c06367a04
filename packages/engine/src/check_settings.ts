/**
 * The part of "provider test" that compares the saved settings with what the
 * provider's metadata says it supports, so a mismatch shows before a user
 * meets it. Only what the metadata lists can be compared; absent lists pass.
 * https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
import type * as oauth from 'oauth4webapi';
import type { ProviderPreset } from './providers/preset.js';
import { scopesOf } from './resolve.js';
import type { ProviderCheck, ProviderConfig } from './types.js';

/** Presets whose provider speaks OpenID Connect: their scopes need openid for an id_token. */
const OIDC_PRESETS = new Set(['oidc', 'google', 'microsoft', 'gitlab']);
/** Standard scopes a provider lists when it supports them. */
const STANDARD_SCOPES = new Set(['openid', 'offline_access', 'profile', 'email']);

export function settingsChecks(config: ProviderConfig, preset: ProviderPreset, as: oauth.AuthorizationServer): ProviderCheck[] {
  return [scopesCheck(config, preset, as), flowCheck(as), issCheck(as)];
}

function scopesCheck(config: ProviderConfig, preset: ProviderPreset, as: oauth.AuthorizationServer): ProviderCheck {
  const scopes = scopesOf(config, preset);
  if (OIDC_PRESETS.has(config.preset) && !scopes.includes('openid')) {
    return {
      name: 'scopes',
      ok: false,
      detail: `The scopes (${scopes.join(' ') || 'none'}) lack openid: this OpenID Connect provider will send no id_token. Add openid.`,
    };
  }
  const listed = as.scopes_supported;
  if (!listed) return { name: 'scopes', ok: true, detail: 'The metadata does not list scopes; they cannot be checked before a flow.' };
  const unlisted = scopes.filter((s) => !listed.includes(s));
  const standard = unlisted.filter((s) => STANDARD_SCOPES.has(s));
  if (standard.length > 0) return { name: 'scopes', ok: false, detail: `Not among the provider's scopes_supported: ${standard.join(', ')}.` };
  if (unlisted.length > 0)
    return { name: 'scopes', ok: true, detail: `Not listed in scopes_supported (providers often accept unlisted scopes): ${unlisted.join(', ')}.` };
  return { name: 'scopes', ok: true, detail: 'Every scope is listed in scopes_supported.' };
}

function flowCheck(as: oauth.AuthorizationServer): ProviderCheck {
  const responseTypes = as.response_types_supported;
  if (responseTypes && !responseTypes.includes('code'))
    return { name: 'code_flow', ok: false, detail: `response_type code is not supported (only ${responseTypes.join(', ')}).` };
  const grants = as.grant_types_supported;
  if (grants && !grants.includes('authorization_code'))
    return { name: 'code_flow', ok: false, detail: `The authorization_code grant is not listed (only ${grants.join(', ')}).` };
  const refresh = grants && !grants.includes('refresh_token') ? ' The refresh_token grant is not listed: users reconnect when a token expires.' : '';
  return { name: 'code_flow', ok: true, detail: `The authorization code flow is supported.${refresh}` };
}

/** RFC 9207: without `iss` in the redirect, the per-provider redirect URI is what tells providers apart. */
function issCheck(as: oauth.AuthorizationServer): ProviderCheck {
  return as.authorization_response_iss_parameter_supported === true
    ? { name: 'iss', ok: true, detail: 'The provider sends iss in its redirect (RFC 9207); it is checked.' }
    : {
        name: 'iss',
        ok: true,
        detail: 'The provider sends no iss in its redirect (RFC 9207): mix-ups are refused by the per-provider redirect URI instead, so register it exactly.',
      };
}
