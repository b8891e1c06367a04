/**
 * provider(): a ProviderConfig from a preset name and a client id, the rest
 * filled in from the preset's defaults (id, display name, scopes, token
 * endpoint authentication), then checked like any configuration.
 */
import { assertClientId, assertProviderConfig } from './config_check.js';
import { getPreset } from './providers/index.js';
import type { PresetName, ProviderConfig } from './types.js';

/** What provider() needs: the preset and the client id; every other field of ProviderConfig may be given to override a default. */
export type ProviderOptions = { preset: PresetName; client_id: string } & Partial<Omit<ProviderConfig, 'preset' | 'client_id'>>;

/**
 * The provider's configuration with the preset's defaults:
 * - id: the preset's name; display_name: the preset's label;
 * - scopes: the preset's default scopes;
 * - token_endpoint_auth_method: the preset's default with a client secret, `none` (a public client) without.
 * Throws ProviderConfigError (an OAuthError with code `config`) naming a bad option.
 */
export function provider(options: ProviderOptions): ProviderConfig {
  const preset = getPreset(options.preset);
  const withSecret = options.client_secret !== undefined;
  const config: ProviderConfig = {
    ...options,
    id: options.id ?? options.preset,
    display_name: options.display_name ?? preset.label,
    scopes: options.scopes ?? [...preset.defaults.scopes],
    token_endpoint_auth_method: options.token_endpoint_auth_method ?? (withSecret ? preset.defaults.token_endpoint_auth_method : 'none'),
  };
  assertProviderConfig(config);
  assertClientId(config);
  return config;
}
