/**
 * POST /api/v1/token: a user's access token at a provider, for a client the
 * user allowed. The token comes from the same path the commands use
 * (core/token_use.ts): used as stored while fresh, else refreshed inside the
 * connection's lock, which every replica respects, so concurrent requests
 * make one refresh at the provider. Never the refresh or ID token, and never
 * a token carrying scopes beyond the grant.
 */
import type { TokenSet } from '@oauth2-connect/engine';
import type { StoredProvider } from '../../../core/provider_records.js';
import type { TokenGrant } from '../../../core/token_api/types.js';
import type { TokenClient } from '../../../core/token_api/types.js';
import { UserFacingError } from '../../../core/errors.js';
import { openProvider } from '../../../core/providers.js';
import { usableTokens } from '../../../core/token_use.js';
import type { StandaloneDeps } from '../deps.js';
import { backgroundRequest } from '../signin/core_request.js';
import { TokenApiError } from './api_error.js';
import { connectedRow, targetView, usableTarget, type Target, type TargetView } from './target.js';
import type { TokenApi } from './token_api.js';

export interface IssuedToken {
  access_token: string;
  token_type: string;
  /** Epoch seconds; null when the provider gave no expiry. */
  expires_at: number | null;
  scope: string;
}

/** A scope about refresh tokens, which a client never receives: it does not widen what the access token lets it do. */
const REFRESH_ONLY = new Set(['offline_access']);

const words = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter(Boolean);

/**
 * The scopes the token carries: the stored scope (the token response's, or the one requested
 * when the response named none). Rows stored before the requested scope was recorded may have
 * none; the provider's scopes stand in for them, right unless they were edited since the user connected.
 */
const carriedScopes = (tokens: TokenSet, stored: StoredProvider): string[] => words(tokens.scope ?? stored.scopes.join(' '));

function checkScopes(grant: TokenGrant, client: TokenClient, asked: string[], tokenScopes: string[]): void {
  const granted = new Set(grant.scopes.filter((s) => client.scopes.includes(s)));
  const beyond = asked.filter((s) => !granted.has(s));
  if (beyond.length > 0) throw new TokenApiError('scope_not_allowed', `Not granted to this client: ${beyond.join(' ').slice(0, 200)}.`);
  const wider = tokenScopes.filter((s) => !granted.has(s) && !REFRESH_ONLY.has(s));
  if (wider.length > 0)
    throw new TokenApiError(
      'scope_not_allowed',
      `The user's token carries scopes this client was not granted (${wider.join(' ').slice(0, 200)}); it cannot be narrowed.`,
    );
}

export async function issueToken(deps: StandaloneDeps, api: TokenApi, client: TokenClient, target: Target): Promise<IssuedToken> {
  // The provider with the user's row, and the grant, read at once (two round trips at the same time).
  const [view, grant] = await Promise.all([
    targetView(deps, client, target.user_id, target.provider),
    api.clients.getGrant(target.user_id, client.id, target.provider),
  ]);
  return issueFrom(deps, api, client, target, view, grant);
}

/** The token, from the target and the grant as read (by issueToken, or with the client in one statement). */
export async function issueFrom(
  deps: StandaloneDeps,
  api: TokenApi,
  client: TokenClient,
  target: Target,
  view: TargetView,
  grant: TokenGrant | undefined,
): Promise<IssuedToken> {
  const { stored, row } = usableTarget(view, target.provider);
  if (!grant)
    throw new TokenApiError(
      'consent_required',
      'The user has not allowed this client to use this account; ask the service to prompt them (POST /api/v1/consent-request).',
    );
  checkScopes(grant, client, words(target.scope), carriedScopes(row.tokens, stored));
  let tokens;
  try {
    tokens = await usableTokens(backgroundRequest(deps, target.user_id), deps, stored, openProvider(stored, deps), { row });
  } catch (err) {
    if (!(err instanceof UserFacingError))
      throw new TokenApiError('provider_unavailable', 'The provider could not be reached to refresh the token; try again later.');
    // The connection broke (refused refresh) or went away while the token was read.
    await connectedRow(deps, target.user_id, stored);
    throw new TokenApiError('reconnect_required', `The user's "${stored.id}" connection no longer works; they must reconnect.`);
  }
  // A refresh may answer other scopes than the ones checked.
  checkScopes(grant, client, [], carriedScopes(tokens, stored));
  api.recordUse(client.id, target.user_id, stored.id);
  return {
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    expires_at: tokens.expires_at === undefined ? null : Math.floor(tokens.expires_at / 1000),
    scope: words(tokens.scope).join(' ') || grant.scopes.join(' '),
  };
}
