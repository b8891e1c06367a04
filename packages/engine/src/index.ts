/** The OAuth engine's public API (@oauth2-connect/engine). */
export * from './types.js';
export { createOAuthEngine, DEFAULT_DISCOVERY_TTL_MS, DEFAULT_HTTP_TIMEOUT_MS } from './engine.js';
export { provider, type ProviderOptions } from './provider.js';
export { ProviderConfigError, assertProviderConfig } from './config_check.js';
export { OAuthError, isOAuthError, redactSecrets } from './errors.js';
export {
  type SealBinding,
  type TokenCipher,
  type TokenCipherKey,
  type TokenCipherFailure,
  type TokenCipherOptions,
  TokenCipherError,
  UNBOUND_REFUSED_MESSAGE,
  WRONG_BINDING_MESSAGE,
  createTokenCipher,
  deriveFlowSecrets,
  purposeKey,
} from './crypto.js';
export { providerOrigin, originMoved } from './provider_origin.js';
export { type SingleFlight, singleFlight } from './single_flight.js';
export { type FreshTokenInput, getFreshToken } from './token_manager.js';
export { isFresh } from './token_set.js';
export { TtlCache } from './ttl_cache.js';
export { getPreset, listPresets } from './providers/index.js';
export type { PresetDefaults, PresetField, ProviderPreset } from './providers/preset.js';
