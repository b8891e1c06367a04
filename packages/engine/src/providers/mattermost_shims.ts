/**
 * Mattermost-as-provider responses in the shapes oauth4webapi expects: its
 * token response always carries every field (empty when unused) and its errors
 * are AppErrors, not RFC 6749 errors (docs/mattermost.md, "Sign in with
 * Mattermost, and Mattermost as a provider").
 */
import { jsonResponse, oauthErrorResponse, peekJsonObject } from './shim.js';
import type { TokenGrant } from './preset.js';

/** Always present in Mattermost's token response, empty when unused; oauth4webapi rejects "". */
const DROPPED_WHEN_EMPTY = ['id_token', 'refresh_token', 'scope'];

/** AppError ids (status 400) that mean the code or refresh token can no longer be used. */
const GRANT_ERROR_ID = /expired_code|refresh_token|redirect_uri|validate_pkce/;

/**
 * Drops the empty id_token/refresh_token/scope from a success, and turns an
 * AppError body ({"id", "message", "status_code"}) into an RFC 6749 error.
 */
export async function shimMattermostTokenResponse(response: Response, grant: TokenGrant): Promise<Response> {
  const body = await peekJsonObject(response);
  if (!body) return response;
  if (response.status === 200) return dropEmptyFields(response, body);
  if (typeof body.id !== 'string') return response;
  const error = rfcErrorForAppError(response.status, body.id, grant);
  if (!error) return response;
  const message = typeof body.message === 'string' ? body.message : undefined;
  return oauthErrorResponse(response, error, `${message ?? 'Mattermost error'} (${body.id})`);
}

function dropEmptyFields(response: Response, body: Record<string, unknown>): Response {
  if (!DROPPED_WHEN_EMPTY.some((field) => body[field] === '')) return response;
  const cleaned = { ...body };
  for (const field of DROPPED_WHEN_EMPTY) if (cleaned[field] === '') delete cleaned[field];
  return jsonResponse(response, response.status, cleaned);
}

function rfcErrorForAppError(status: number, id: string, grant: TokenGrant): string | undefined {
  if (status === 401) return 'invalid_client';
  if (status === 403) return 'invalid_grant';
  if (status === 404) return grant === 'refresh_token' ? 'invalid_grant' : 'invalid_client';
  if (status === 400) return GRANT_ERROR_ID.test(id) ? 'invalid_grant' : 'invalid_request';
  return undefined;
}

/** Mattermost omits client_secret_expires_at, which RFC 7591 §3.2.1 requires with a secret: 0 means never. */
export async function shimMattermostRegistrationResponse(response: Response): Promise<Response> {
  const body = await peekJsonObject(response);
  if (response.status !== 201 || !body?.client_secret || body.client_secret_expires_at !== undefined) return response;
  return jsonResponse(response, response.status, { ...body, client_secret_expires_at: 0 });
}
