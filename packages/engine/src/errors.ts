/**
 * The one error type the OAuth engine throws. Its texts are written for people:
 * `userMessage` for the Mattermost user, `adminDetail` for the admin and the log.
 * Neither ever holds a secret, token, code or verifier, and no raw library error
 * is attached as `cause`, because those carry whole response bodies (tokens included).
 */
import type { OAuthErrorCode } from './types.js';

export interface OAuthErrorOptions {
  /** Admin-facing detail (what to check or fix). Redacted against `secrets`. */
  adminDetail?: string;
  /** Values that must never appear in the texts (tokens, codes, client secrets). */
  secrets?: ReadonlyArray<string | undefined>;
}

/** An OAuth failure a handler acts on by `code`; `userMessage` is shown, `adminDetail` logged. */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly userMessage: string;
  readonly adminDetail?: string;

  constructor(code: OAuthErrorCode, userMessage: string, options: OAuthErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    const safeUserMessage = redactSecrets(userMessage, secrets);
    super(safeUserMessage);
    this.name = 'OAuthError';
    this.code = code;
    this.userMessage = safeUserMessage;
    if (options.adminDetail !== undefined) {
      this.adminDetail = redactSecrets(options.adminDetail, secrets);
    }
  }
}

const SHORTEST_REDACTED_SECRET = 4;
const LONGEST_PROVIDER_TEXT = 300;

/** Replaces every occurrence of each secret by "[redacted]" and bounds the length. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let safe = text;
  for (const secret of secrets) {
    if (secret && secret.length >= SHORTEST_REDACTED_SECRET) safe = safe.split(secret).join('[redacted]');
  }
  return safe.length > LONGEST_PROVIDER_TEXT ? `${safe.slice(0, LONGEST_PROVIDER_TEXT)}…` : safe;
}

/** True when `err` is an OAuthError with one of the given codes. */
export function isOAuthError(err: unknown, ...codes: OAuthErrorCode[]): err is OAuthError {
  return err instanceof OAuthError && (codes.length === 0 || codes.includes(err.code));
}
