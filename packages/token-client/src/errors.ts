/**
 * The token API's error codes and their HTTP statuses: the one list the
 * service answers from and this client reads. Stable: an integration may
 * branch on them.
 */
export const TOKEN_API_ERRORS = {
  /** The body is not JSON {user_id, provider[, scope]}. */
  invalid_request: 400,
  /** The credential is missing, unknown, rotated or removed, or the client called from an address it may not. */
  invalid_client: 401,
  /** The user has not allowed this client this provider: ask for consent (requestConsent). */
  consent_required: 403,
  /** The client may not ask for this provider (or it is not registered). */
  provider_not_allowed: 403,
  /** A scope asked for, or carried by the user's token, is beyond what the user granted this client. */
  scope_not_allowed: 403,
  /** The user is not connected to the provider: prompt them (requestConnect). */
  not_connected: 404,
  /** The user's connection broke (revoked at the provider, moved provider): they must reconnect (requestConnect). */
  reconnect_required: 409,
  /** Over the client's rate: retry after `retryAfterSeconds`. */
  rate_limited: 429,
  /** The token needed a refresh and the provider could not be reached: retry later. */
  provider_unavailable: 502,
  server_error: 500,
} as const;

export type TokenApiErrorCode = keyof typeof TOKEN_API_ERRORS;

export const isTokenApiErrorCode = (value: unknown): value is TokenApiErrorCode => typeof value === 'string' && Object.hasOwn(TOKEN_API_ERRORS, value);
