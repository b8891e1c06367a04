/**
 * Reading and validating the admin's provider form into a provider config.
 * Every problem is reported on its field; nothing is saved until all pass.
 */
import { getPreset, type ProviderConfig, type ProviderEndpoints, type TokenEndpointAuthMethod } from '@oauth2-connect/engine';
import { PROVIDER_ID } from '../provider_records.js';
import { UserFacingError } from '../errors.js';
import type { CoreValues } from '../request.js';
import { trimTrailingSlashes } from '../../util/trim_slashes.js';
import { isPreset } from './presets.js';
import { text } from './values.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const AUTH_METHODS: TokenEndpointAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http on this machine's loopback (development and tests); no query, fragment or credentials. */
export function checkUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return 'must use https';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not have a fragment';
  return undefined;
}

function parseParams(raw: string | undefined, errors: Record<string, string>): Record<string, string> | undefined {
  if (!raw) return undefined;
  const params = Object.fromEntries(new URLSearchParams(raw));
  const reserved = ['state', 'code_challenge', 'code_challenge_method', 'redirect_uri', 'client_id', 'response_type', 'nonce'];
  const clash = Object.keys(params).find((k) => reserved.includes(k));
  if (clash) errors.params = `"${clash}" is set by the App and cannot be overridden`;
  return params;
}

export interface InputOptions {
  /** Used when the secret field is left empty (edit). */
  keepSecret?: string;
  /** The id of the provider being edited (its id cannot change). */
  fixedId?: string;
  /** Dynamic registration: the client id and secret come from the provider. */
  registering?: boolean;
}

/** The form's values as a provider config. */
export function readProviderInput(values: CoreValues, { keepSecret, fixedId, registering = false }: InputOptions = {}): ProviderConfig {
  const errors: Record<string, string> = {};
  const preset = text(values, 'preset');
  if (!isPreset(preset)) throw new UserFacingError('Choose a provider type.', { fieldErrors: { preset: 'Choose a provider type' } });
  const id = fixedId ?? (text(values, 'id') ?? '').toLowerCase();
  if (!PROVIDER_ID.test(id)) errors.id = 'Use 1-32 lower-case letters, digits and -, starting with a letter or digit';
  const displayName = text(values, 'display_name') ?? '';
  if (displayName.length === 0 || displayName.length > 64) errors.display_name = 'Give a display name of 1-64 characters';

  const config: ProviderConfig = { id, display_name: displayName, preset, client_id: '', token_endpoint_auth_method: 'client_secret_post', scopes: [] };
  const endpoints: Partial<ProviderEndpoints> = {};
  for (const field of getPreset(preset).fields) {
    const name = field.key.replace('.', '_');
    const value = text(values, name) ?? field.default;
    if (!value) {
      if (field.required) errors[name] = `${field.label} is required`;
      continue;
    }
    const problem = field.key === 'tenant' ? (/^[A-Za-z0-9.-]{1,64}$/.test(value) ? undefined : 'is not a tenant name or id') : checkUrl(value);
    if (problem) errors[name] = `${field.label} ${problem}`;
    else if (field.key.startsWith('endpoints.')) endpoints[field.key.slice('endpoints.'.length) as keyof ProviderEndpoints] = value;
    else config[field.key as 'issuer' | 'base_url' | 'tenant'] = trimTrailingSlashes(value) || value;
  }
  if (Object.keys(endpoints).length > 0) config.endpoints = endpoints;

  config.client_id = text(values, 'client_id') ?? '';
  if (!registering && !config.client_id) errors.client_id = 'The client ID is required';
  const secret = text(values, 'client_secret') ?? keepSecret;
  const auth = (text(values, 'auth') ?? (secret ? getPreset(preset).defaults.token_endpoint_auth_method : 'none')) as TokenEndpointAuthMethod;
  if (!AUTH_METHODS.includes(auth)) errors.auth = 'Choose a client authentication method';
  if (auth !== 'none' && !secret && !registering) errors.client_secret = 'A confidential client needs its client secret';
  if (auth === 'none' && text(values, 'client_secret')) errors.client_secret = 'A public client (none) has no secret: leave it empty';
  config.token_endpoint_auth_method = auth;
  if (secret && auth !== 'none') config.client_secret = secret;

  const scopes = (text(values, 'scopes') ?? getPreset(preset).defaults.scopes.join(' ')).split(/\s+/).filter(Boolean);
  if (scopes.some((s) => !SCOPE_TOKEN.test(s))) errors.scopes = 'Scopes are words without quotes or backslashes, separated by spaces';
  config.scopes = scopes;
  const params = parseParams(text(values, 'params'), errors);
  if (params) config.extra_authorize_params = params;

  // Each field with the rule it broke: a typed command shows only this text, not the form's per-field errors.
  const problems = Object.entries(errors).map(([name, rule]) => `${name}: ${rule}`);
  if (problems.length > 0) throw new UserFacingError(`Please correct ${problems.join('; ')}.`, { fieldErrors: errors });
  return config;
}
