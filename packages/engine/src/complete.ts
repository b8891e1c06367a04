/**
 * The redirect back from the provider: error, RFC 9207 iss and state checks,
 * the code exchange with the PKCE verifier, id_token validation and the account.
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * https://www.rfc-editor.org/rfc/rfc9207
 * https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
import * as oauth from 'oauth4webapi';
import { readAccount } from './account.js';
import { USER_MESSAGES, oauthError, toOAuthError } from './error_mapping.js';
import { OAuthError } from './errors.js';
import { requestOptions } from './http.js';
import { type EngineContext, type Resolved, clientOf, requestedScope } from './resolve.js';
import { checkTokenResponse } from './token_response.js';
import { toTokenSet } from './token_set.js';
import type { CallbackInput, CompletedAuthorization } from './types.js';

/** Checks the callback, exchanges the code and reads the account. Nothing is returned when a check fails. */
export async function completeAuthorization(ctx: EngineContext, resolved: Resolved, input: CallbackInput): Promise<CompletedAuthorization> {
  rejectErrorResponse(input.params);
  const callback = validateCallback(resolved, input);
  const { result, claims } = await exchangeCode(ctx, resolved, callback, input);
  // A response without scope grants the one requested (RFC 6749 §5.1): recorded, as a refresh then keeps it.
  const tokens = toTokenSet(result, ctx.now(), { scope: requestedScope(resolved.config, resolved.preset) });
  const account = await readAccount(ctx, resolved, tokens, claims);
  // Without a subject a reconnect cannot be checked to be the same account, so nothing is stored.
  if (!account.sub.trim()) {
    throw new OAuthError(
      'provider_error',
      'The provider did not say which account you signed in with (no account id), so nothing was connected. Ask an admin to test the provider.',
      {
        adminDetail: 'The account read after the code exchange has an empty subject (sub / id).',
        secrets: [tokens.access_token, tokens.refresh_token, tokens.id_token],
      },
    );
  }
  return { tokens, account };
}

/**
 * An error redirect (RFC 6749 §4.1.2.1) is reported before the iss/state checks:
 * it grants nothing, and some providers (Mattermost's Deny) send it without state.
 */
function rejectErrorResponse(params: Record<string, string>): void {
  if (!params.error) return;
  // The redirect's query is not trusted text: only an RFC 6749 style code is echoed to the user.
  const error = /^[A-Za-z0-9_.-]{1,64}$/.test(params.error) ? params.error : 'unrecognised error';
  const description = params.error_description ? `: ${params.error_description}` : '';
  const code = error === 'access_denied' ? 'access_denied' : 'provider_error';
  const userMessage =
    error === 'access_denied'
      ? USER_MESSAGES.access_denied
      : `The provider could not complete the sign-in (${error}). Try again, or ask an admin to test the provider.`;
  throw new OAuthError(code, userMessage, { adminDetail: `The provider redirected back with error=${error}${description}`, secrets: [params.code] });
}

/** RFC 9207 iss (when advertised, or whenever present) and the state, by oauth4webapi. */
function validateCallback(resolved: Resolved, input: CallbackInput): URLSearchParams {
  const { client } = clientOf(resolved.config);
  try {
    return oauth.validateAuthResponse(resolved.as, client, new URLSearchParams(input.params), input.expected_state);
  } catch (err) {
    throw toOAuthError(err, 'callback', [input.params.code, input.expected_state]);
  }
}

async function exchangeCode(ctx: EngineContext, resolved: Resolved, callback: URLSearchParams, input: CallbackInput) {
  const { as, config, provider } = resolved;
  const { client, auth } = clientOf(config);
  if (provider.oidc && !input.nonce) throw oauthError('config', 'An OpenID Connect flow needs the nonce sent at authorization.');
  const secrets = [input.params.code, input.code_verifier, config.client_secret];
  try {
    const options = requestOptions(ctx.http, as.token_endpoint);
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, callback, input.redirect_uri, input.code_verifier, options);
    const expectations = provider.oidc ? { expectedNonce: input.nonce, requireIdToken: true } : undefined;
    return await checkTokenResponse(ctx, resolved, response, 'authorization_code', (checkedAs, shimmed) =>
      oauth.processAuthorizationCodeResponse(checkedAs, client, shimmed, expectations),
    );
  } catch (err) {
    throw toOAuthError(err, 'token', secrets);
  }
}
