/**
 * Dynamic client registration (RFC 7591) at the metadata's registration_endpoint
 * (or the preset's, where the provider does not advertise it).
 * https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
import * as oauth from 'oauth4webapi';
import { oauthError, toOAuthError } from './error_mapping.js';
import { requestOptions } from './http.js';
import type { EngineContext, Resolved } from './resolve.js';
import type { RegisteredClient, RegistrationInput, TokenEndpointAuthMethod } from './types.js';

const AUTH_METHODS: ReadonlySet<string> = new Set<TokenEndpointAuthMethod>(['client_secret_basic', 'client_secret_post', 'none']);

/** Registers a code-flow client and returns its credentials (the secret in clear: encrypt it before storing). */
export async function registerClient(ctx: EngineContext, resolved: Resolved, input: RegistrationInput): Promise<RegisteredClient> {
  const { as, preset } = resolved;
  if (!as.registration_endpoint) {
    throw oauthError('config', 'The provider does not offer dynamic client registration (no registration_endpoint in its metadata).');
  }
  let registered: oauth.OmitSymbolProperties<oauth.Client>;
  try {
    const response = await oauth.dynamicClientRegistrationRequest(as, registrationMetadata(input), requestOptions(ctx.http, as.registration_endpoint));
    const shimmed = preset.shimRegistrationResponse ? await preset.shimRegistrationResponse(response) : response;
    registered = await oauth.processDynamicClientRegistrationResponse(shimmed);
  } catch (err) {
    throw toOAuthError(err, 'registration');
  }
  return toRegisteredClient(registered, input.token_endpoint_auth_method);
}

function registrationMetadata(input: RegistrationInput): Partial<oauth.OmitSymbolProperties<oauth.Client>> {
  const metadata: Partial<oauth.OmitSymbolProperties<oauth.Client>> = {
    redirect_uris: input.redirect_uris,
    client_name: input.client_name,
    token_endpoint_auth_method: input.token_endpoint_auth_method,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
  if (input.client_uri) metadata.client_uri = input.client_uri;
  if (input.scopes?.length) metadata.scope = input.scopes.join(' ');
  return metadata;
}

function toRegisteredClient(registered: oauth.OmitSymbolProperties<oauth.Client>, asked: TokenEndpointAuthMethod): RegisteredClient {
  const method = typeof registered.token_endpoint_auth_method === 'string' ? registered.token_endpoint_auth_method : asked;
  if (!AUTH_METHODS.has(method)) {
    throw oauthError('config', `The provider registered the client with token_endpoint_auth_method "${method}", which this app does not support.`);
  }
  const client: RegisteredClient = { client_id: registered.client_id, token_endpoint_auth_method: method as TokenEndpointAuthMethod };
  if (typeof registered.client_secret === 'string' && registered.client_secret !== '') client.client_secret = registered.client_secret;
  return client;
}
