/**
 * The runtime check of a ProviderConfig: a configuration read from a file, a
 * database or plain JavaScript is refused with the option it gets wrong,
 * before any operation reads a field of it (a missing `scopes` would
 * otherwise surface as a TypeError deep in an operation).
 */
import { OAuthError } from './errors.js';
import { USER_MESSAGES } from './error_mapping.js';
import type { PresetName, ProviderConfig, TokenEndpointAuthMethod } from './types.js';

const PRESETS: readonly PresetName[] = ['github', 'gitlab', 'google', 'microsoft', 'mattermost', 'oidc', 'oauth2'];
const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];
const ID = /^[a-z0-9-]{1,32}$/;
const ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'revocation_endpoint',
  'registration_endpoint',
  'pushed_authorization_request_endpoint',
  'introspection_endpoint',
] as const;

/** A ProviderConfig that cannot be used: `option` names the field, the message says what it must be. */
export class ProviderConfigError extends OAuthError {
  constructor(
    readonly option: string,
    expected: string,
    got: unknown,
  ) {
    const detail = `Invalid provider configuration: ${option} must be ${expected} (got ${describe(got)}).`;
    super('config', USER_MESSAGES.config, { adminDetail: detail });
    // A developer reads `message`; the user-facing text stays in userMessage. The name stays OAuthError: the engine throws one type.
    this.message = detail;
  }
}

/** What was given, without echoing a value (it may be a secret). */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(config: Record<string, unknown>, key: string): void {
  if (config[key] !== undefined && !isString(config[key])) throw new ProviderConfigError(key, 'a string when given', config[key]);
}

function stringRecord(value: unknown, option: string, keys?: readonly string[]): void {
  if (value === undefined) return;
  if (!isRecord(value)) throw new ProviderConfigError(option, 'an object of strings when given', value);
  for (const [key, entry] of Object.entries(value)) {
    if (keys && !keys.includes(key)) throw new ProviderConfigError(`${option}.${key}`, `one of ${keys.join(', ')}`, key);
    if (entry !== undefined && !isString(entry)) throw new ProviderConfigError(`${option}.${key}`, 'a string', entry);
  }
}

/** Throws ProviderConfigError naming the first option that is missing or of the wrong kind. */
export function assertProviderConfig(config: unknown): asserts config is ProviderConfig {
  if (!isRecord(config)) throw new ProviderConfigError('the configuration', 'an object', config);
  if (!isString(config.id) || !ID.test(config.id)) throw new ProviderConfigError('id', '1 to 32 characters of a-z, 0-9 and "-"', config.id);
  if (!isString(config.display_name)) throw new ProviderConfigError('display_name', 'a string', config.display_name);
  if (!PRESETS.includes(config.preset as PresetName)) throw new ProviderConfigError('preset', `one of ${PRESETS.join(', ')}`, config.preset);
  // Empty until dynamic registration gives one: discovery, check and registration need none (assertClientId for the rest).
  if (!isString(config.client_id)) throw new ProviderConfigError('client_id', 'a string', config.client_id);
  optionalString(config, 'client_secret');
  if (!AUTH_METHODS.includes(config.token_endpoint_auth_method as TokenEndpointAuthMethod)) {
    throw new ProviderConfigError('token_endpoint_auth_method', `one of ${AUTH_METHODS.join(', ')}`, config.token_endpoint_auth_method);
  }
  if (!Array.isArray(config.scopes) || !config.scopes.every(isString)) {
    throw new ProviderConfigError('scopes', "an array of strings (empty for the preset's default scopes)", config.scopes);
  }
  for (const key of ['issuer', 'base_url', 'tenant']) optionalString(config, key);
  stringRecord(config.endpoints, 'endpoints', ENDPOINTS);
  stringRecord(config.extra_authorize_params, 'extra_authorize_params');
}

/** The operations that speak for a client (authorize, complete, refresh, revoke, userinfo) need its id. */
export function assertClientId(config: ProviderConfig): void {
  if (config.client_id === '') throw new ProviderConfigError('client_id', 'a non-empty string (register the client first)', config.client_id);
}
