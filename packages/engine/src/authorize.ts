/**
 * The authorization request: code flow with PKCE S256 on every flow, the nonce
 * for OIDC, and a pushed authorization request when the provider requires one.
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * https://www.rfc-editor.org/rfc/rfc9126
 */
import * as oauth from 'oauth4webapi';
import { oauthError, toOAuthError } from './error_mapping.js';
import { requestOptions } from './http.js';
import { type EngineContext, type Resolved, authorizeParamsOf, clientOf, requestedScope } from './resolve.js';
import type { AuthorizationRequestInput } from './types.js';

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The URL to send the browser to. The preset's and admin's extra parameters never override the protocol ones. */
export async function buildAuthorizationUrl(ctx: EngineContext, resolved: Resolved, input: AuthorizationRequestInput): Promise<string> {
  const params = await authorizationParams(resolved, input);
  const url = new URL(resolved.as.authorization_endpoint ?? '');
  if (resolved.provider.par_required) {
    const requestUri = await pushAuthorizationRequest(ctx, resolved, params, input);
    url.searchParams.set('client_id', resolved.config.client_id);
    url.searchParams.set('request_uri', requestUri);
    return url.href;
  }
  for (const [name, value] of params) url.searchParams.set(name, value);
  return url.href;
}

async function authorizationParams(resolved: Resolved, input: AuthorizationRequestInput): Promise<URLSearchParams> {
  const { config, preset, provider } = resolved;
  if (!CODE_VERIFIER.test(input.code_verifier)) {
    throw oauthError('config', 'The PKCE code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1).');
  }
  if (provider.oidc && !input.nonce) throw oauthError('config', 'An OpenID Connect flow needs a nonce.');
  const params = new URLSearchParams(authorizeParamsOf(config, preset));
  params.set('response_type', 'code');
  params.set('client_id', config.client_id);
  params.set('redirect_uri', input.redirect_uri);
  params.set('state', input.state);
  const scope = requestedScope(config, preset);
  if (scope !== undefined) params.set('scope', scope);
  else params.delete('scope');
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(input.code_verifier));
  params.set('code_challenge_method', 'S256');
  if (provider.oidc && input.nonce) params.set('nonce', input.nonce);
  else params.delete('nonce');
  return params;
}

async function pushAuthorizationRequest(ctx: EngineContext, resolved: Resolved, params: URLSearchParams, input: AuthorizationRequestInput): Promise<string> {
  const { as, config } = resolved;
  const { client, auth } = clientOf(config);
  try {
    const options = requestOptions(ctx.http, as.pushed_authorization_request_endpoint);
    const response = await oauth.pushedAuthorizationRequest(as, client, auth, params, options);
    const result = await oauth.processPushedAuthorizationResponse(as, client, response);
    return result.request_uri;
  } catch (err) {
    throw toOAuthError(err, 'authorization', [input.code_verifier, config.client_secret]);
  }
}
