/** The OAuth engine's public API. */
export * from './types.js';
export { createOAuthEngine } from './engine.js';
export { OAuthError, isOAuthError, redactSecrets } from './errors.js';
export { type TokenCipher, type TokenCipherKey, type TokenCipherFailure, TokenCipherError, createTokenCipher, deriveFlowSecrets } from './crypto.js';
export { type SingleFlight, singleFlight } from './single_flight.js';
export { type FreshTokenInput, getFreshToken } from './token_manager.js';
export { isFresh } from './token_set.js';
export { getPreset, listPresets } from './providers/index.js';
export type { PresetDefaults, PresetField, ProviderPreset } from './providers/preset.js';
