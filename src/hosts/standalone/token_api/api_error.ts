/**
 * The token API's refusals: a stable `error` code with its HTTP status (one
 * list, the one @oauth2-connect/token-client publishes and reads), and a
 * description for the integration's developer (never a secret).
 */
import { TOKEN_API_ERRORS, type TokenApiErrorCode } from '@oauth2-connect/token-client';

export type ApiErrorCode = TokenApiErrorCode;

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
    this.status = TOKEN_API_ERRORS[code];
  }
}
