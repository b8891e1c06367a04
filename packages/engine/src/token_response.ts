/**
 * The checks every token endpoint response goes through after oauth4webapi's
 * request: the preset's shim, the id_token's claims (oauth4webapi) and its
 * signature against the provider's JWKS (oauth4webapi leaves that to the caller).
 * https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import { requestOptions } from './http.js';
import type { TokenGrant } from './providers/preset.js';
import { jsonResponse, peekJsonObject } from './providers/shim.js';
import type { EngineContext, Resolved } from './resolve.js';

type Process = (as: oauth.AuthorizationServer, response: Response) => Promise<oauth.TokenEndpointResponse>;

export interface CheckedTokenResponse {
  result: oauth.TokenEndpointResponse;
  /** The validated id_token claims, when an id_token came back. */
  claims?: oauth.IDToken;
}

/** Shims `response`, lets `process` (an oauth4webapi processXResponse) check it, then verifies the id_token signature. */
export async function checkTokenResponse(
  ctx: EngineContext,
  resolved: Resolved,
  response: Response,
  grant: TokenGrant,
  process: Process,
): Promise<CheckedTokenResponse> {
  const shimmed = await prepare(resolved, response, grant);
  const as = await metadataForIdToken(resolved, shimmed);
  const result = await process(as, shimmed);
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (!claims) return { result };
  await oauth.validateApplicationLevelSignature(as, shimmed, requestOptions(ctx.http, as.jwks_uri));
  return { result, claims };
}

/** The preset's shim; outside OIDC an id_token is neither asked for nor trusted, so it is dropped. */
async function prepare(resolved: Resolved, response: Response, grant: TokenGrant): Promise<Response> {
  const shimmed = resolved.preset.shimTokenResponse ? await resolved.preset.shimTokenResponse(response, grant) : response;
  if (resolved.provider.oidc || shimmed.status !== 200) return shimmed;
  const body = await peekJsonObject(shimmed);
  if (body?.id_token === undefined) return shimmed;
  const { id_token: _dropped, ...rest } = body;
  return jsonResponse(shimmed, 200, rest);
}

const perTenant = new WeakMap<oauth.AuthorizationServer, Map<string, oauth.AuthorizationServer>>();

/**
 * For a template issuer (Microsoft multi-tenant), the metadata whose issuer is the
 * template filled from the id_token's own tenant, one stable object per tenant
 * so oauth4webapi's JWKS cache (keyed by that object) keeps working.
 */
async function metadataForIdToken(resolved: Resolved, response: Response): Promise<oauth.AuthorizationServer> {
  const { as, issuerTemplate } = resolved;
  if (!issuerTemplate) return as;
  const idToken = (await peekJsonObject(response))?.id_token;
  if (typeof idToken !== 'string' || idToken === '') return as;
  let claims: jose.JWTPayload;
  try {
    claims = jose.decodeJwt(idToken);
  } catch {
    return as; // oauth4webapi reports the malformed token
  }
  const issuer = issuerTemplate.idTokenIssuer(as.issuer, claims);
  if (issuer === as.issuer) return as;
  const tenants = perTenant.get(as) ?? new Map<string, oauth.AuthorizationServer>();
  perTenant.set(as, tenants);
  const filled = tenants.get(issuer) ?? Object.freeze({ ...as, issuer });
  tenants.set(issuer, filled);
  return filled;
}
