/**
 * What a client's request is about: a user and a provider the client may ask
 * for, and that user's connection there. Shared by the token endpoint and the
 * consent and connect requests, so each refuses the same way.
 */
import { z } from 'zod';
import type { ConnectionRow } from '../../../core/ports.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import type { TokenClient } from '../../../core/token_api/types.js';
import type { StandaloneDeps } from '../deps.js';
import { TokenApiError } from './api_error.js';

export const TARGET = z.object({
  user_id: z.string().regex(/^[a-z0-9]{26}$/, 'a Mattermost user id (26 lower-case letters and digits)'),
  provider: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a provider id'),
  /** Optional, space-separated: the scopes the client needs (each must be granted). */
  scope: z.string().max(1000).optional(),
});

export type Target = z.infer<typeof TARGET>;

export function parseTarget(body: unknown): Target {
  const parsed = TARGET.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TokenApiError(
      'invalid_request',
      `The body must be JSON {user_id, provider[, scope]}: ${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is not valid'}.`,
    );
  }
  return parsed.data;
}

/** The provider, when this client may ask for it and it is registered. */
export async function allowedProvider(deps: Pick<StandaloneDeps, 'providers'>, client: TokenClient, providerId: string): Promise<StoredProvider> {
  const stored = client.providers.includes(providerId) ? await deps.providers.get(providerId) : undefined;
  if (!stored) throw new TokenApiError('provider_not_allowed', `This client may not ask for tokens of the provider "${providerId}".`);
  return stored;
}

/** The scopes a consent for this client at this provider covers: the client's that the provider offers. */
export const consentScopes = (client: TokenClient, stored: StoredProvider): string[] => client.scopes.filter((s) => stored.scopes.includes(s));

/** The user's usable connection at the provider, or not_connected / reconnect_required. */
export async function connectedRow(deps: Pick<StandaloneDeps, 'connections'>, userId: string, stored: StoredProvider): Promise<ConnectionRow> {
  // Tokens that do not open here (another key, a moved provider) need a reconnect, as the commands say.
  const row = await deps.connections.get(userId, stored.id).catch(() => null);
  if (row === null) throw new TokenApiError('reconnect_required', `The user's "${stored.id}" connection cannot be read here; they must reconnect.`);
  if (!row)
    throw new TokenApiError('not_connected', `The user is not connected to "${stored.id}"; ask the service to prompt them (POST /api/v1/connect-request).`);
  if (row.connection.broken) throw new TokenApiError('reconnect_required', `The user's "${stored.id}" connection no longer works; they must reconnect.`);
  return row;
}
