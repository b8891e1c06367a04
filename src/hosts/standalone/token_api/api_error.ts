/**
 * The token API's refusals: a stable `error` code with its HTTP status, and a
 * description for the integration's developer (never a secret). docs/token-api.md
 * lists them; the typed client (src/token_client) mirrors the codes.
 */
export const API_ERRORS = {
  invalid_request: 400,
  invalid_client: 401,
  consent_required: 403,
  provider_not_allowed: 403,
  scope_not_allowed: 403,
  not_connected: 404,
  reconnect_required: 409,
  rate_limited: 429,
  provider_unavailable: 502,
  server_error: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class TokenApiError extends Error {
  readonly status: number;
  /** The client, when it was known before the refusal (for the log line). */
  clientId?: string;
  constructor(
    readonly code: ApiErrorCode,
    description: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
    this.name = 'TokenApiError';
    this.status = API_ERRORS[code];
  }
}
