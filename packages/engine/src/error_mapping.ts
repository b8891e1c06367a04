/**
 * Turns whatever oauth4webapi, fetch or a provider threw into an OAuthError with
 * a code a handler can act on and texts safe to show.
 */
import * as oauth from 'oauth4webapi';
import { OAuthError } from './errors.js';
import type { OAuthErrorCode } from './types.js';

export type Operation = 'discovery' | 'authorization' | 'callback' | 'token' | 'refresh' | 'userinfo' | 'profile' | 'revocation' | 'registration';

const DOING: Record<Operation, string> = {
  discovery: 'reading the provider metadata',
  authorization: 'starting the authorization (pushed authorization request)',
  callback: 'checking the redirect from the provider',
  token: 'exchanging the authorization code',
  refresh: 'refreshing the token',
  userinfo: 'reading the account (userinfo)',
  profile: 'reading the account (profile)',
  revocation: 'revoking the token',
  registration: 'registering the client',
};

export const USER_MESSAGES: Record<OAuthErrorCode, string> = {
  access_denied: 'Access was refused at the provider, so nothing was connected.',
  invalid_grant: 'The connection has expired or was revoked at the provider. Connect again.',
  invalid_client: "The provider refused this app's client credentials. Ask an admin to check the provider setup.",
  redirect_uri_mismatch: "The provider does not accept this app's redirect address. Ask an admin to check the provider setup.",
  provider_unavailable: 'The provider did not answer. Try again in a moment.',
  provider_error: 'The provider answered in a way this app cannot use. Try again, or ask an admin to test the provider.',
  security: "The provider's answer failed a security check, so it was not used. Start the connection again.",
  config: 'The provider is not configured correctly. Ask an admin to check it.',
};

const CODE_FOR_PROVIDER_ERROR: Record<string, OAuthErrorCode> = {
  invalid_grant: 'invalid_grant',
  invalid_client: 'invalid_client',
  unauthorized_client: 'invalid_client',
  redirect_uri_mismatch: 'redirect_uri_mismatch',
  access_denied: 'access_denied',
  server_error: 'provider_unavailable',
  temporarily_unavailable: 'provider_unavailable',
};

type Secrets = ReadonlyArray<string | undefined>;

/** Builds an OAuthError with the standard user message for `code`. */
export function oauthError(code: OAuthErrorCode, adminDetail: string, secrets: Secrets = []): OAuthError {
  return new OAuthError(code, USER_MESSAGES[code], { adminDetail, secrets });
}

/** Maps a thrown value to an OAuthError; `secrets` are redacted from every text. */
export function toOAuthError(err: unknown, operation: Operation, secrets: Secrets = []): OAuthError {
  if (err instanceof OAuthError) return err;
  const [code, detail] = classify(err, operation);
  return oauthError(code, `While ${DOING[operation]}: ${detail}`, secrets);
}

function classify(err: unknown, operation: Operation): [OAuthErrorCode, string] {
  if (err instanceof oauth.ResponseBodyError) {
    return [CODE_FOR_PROVIDER_ERROR[err.error] ?? 'provider_error', providerErrorText(err.error, err.error_description, err.status)];
  }
  if (err instanceof oauth.AuthorizationResponseError) {
    return [err.error === 'access_denied' ? 'access_denied' : 'provider_error', providerErrorText(err.error, err.error_description)];
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    return [rejectedCredentialsCode(operation), `the provider answered HTTP ${err.status} with a WWW-Authenticate challenge`];
  }
  if (err instanceof oauth.OperationProcessingError) return classifyProcessingError(err, operation);
  if (err instanceof oauth.UnsupportedOperationError) return ['provider_error', err.message];
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return ['provider_unavailable', 'the provider did not answer in time'];
  }
  if (err instanceof TypeError && isArgumentError(err)) return ['config', err.message];
  // Whatever else fetch throws is a transport failure (undici: TypeError "fetch failed").
  if (err instanceof Error) return ['provider_unavailable', `network error (${networkCause(err)})`];
  return ['provider_error', String(err)];
}

function classifyProcessingError(err: oauth.OperationProcessingError, operation: Operation): [OAuthErrorCode, string] {
  const status = err.cause instanceof Response ? err.cause.status : undefined;
  const withStatus = status === undefined ? err.message : `${err.message} (HTTP ${status})`;
  switch (err.code) {
    case oauth.RESPONSE_IS_NOT_CONFORM:
    case oauth.RESPONSE_IS_NOT_JSON:
      if (status !== undefined && status >= 500) return ['provider_unavailable', withStatus];
      if (status === 401) return [rejectedCredentialsCode(operation), withStatus];
      return [operation === 'discovery' ? 'config' : 'provider_error', withStatus];
    case oauth.JWT_CLAIM_COMPARISON:
    case oauth.JWT_TIMESTAMP_CHECK:
    case oauth.JSON_ATTRIBUTE_COMPARISON:
    case oauth.KEY_SELECTION:
      return ['security', err.message];
    case oauth.INVALID_RESPONSE:
      return [operation === 'callback' || /JWT|ID Token/.test(err.message) ? 'security' : 'provider_error', err.message];
    case oauth.MISSING_SERVER_METADATA:
    case oauth.INVALID_SERVER_METADATA:
    case oauth.HTTP_REQUEST_FORBIDDEN:
    case oauth.REQUEST_PROTOCOL_FORBIDDEN:
      return ['config', err.message];
    default:
      return ['provider_error', withStatus];
  }
}

/** A 401 at the token or registration endpoint is about the client; elsewhere about the user's token. */
function rejectedCredentialsCode(operation: Operation): OAuthErrorCode {
  return operation === 'userinfo' || operation === 'profile' || operation === 'revocation' ? 'invalid_grant' : 'invalid_client';
}

function providerErrorText(error: string, description?: string, status?: number): string {
  const httpStatus = status === undefined ? '' : ` (HTTP ${status})`;
  return `the provider answered error=${error}${description ? `: ${description}` : ''}${httpStatus}`;
}

function isArgumentError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_INVALID');
}

function networkCause(err: Error): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return typeof cause?.message === 'string' ? cause.message : err.message;
}
