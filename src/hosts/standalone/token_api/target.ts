/**
 * What a client's request is about: a user and a provider the client may ask
 * for, and that user's connection there. Shared by the token endpoint and the
 * consent and connect requests, so each refuses the same way.
 */
import { z } from 'zod';
import type { ConnectionRow, UserConnections } from '../../../core/ports.js';
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

const USER_ID = /^[a-z0-9]{26}$/;
const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Printable ASCII: one character per code unit and per code point, so the length limit means the same to zod and here. */
const PRINTABLE = /^[ -~]*$/;

/**
 * The target as TARGET gives it, checked by hand for the common body (every token request has one): a plain
 * object with the two ids and at most an ASCII scope within its length. Undefined for any other body, which
 * goes to the schema, which says why (test/unit/token_api/target_check.test.ts holds the two together).
 */
export function plainTarget(body: unknown): Target | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { user_id: user, provider, scope } = body as Record<string, unknown>;
  if (typeof user !== 'string' || !USER_ID.test(user) || typeof provider !== 'string' || !PROVIDER_ID.test(provider)) return undefined;
  if (scope === undefined) return { user_id: user, provider };
  return typeof scope === 'string' && scope.length <= 1000 && PRINTABLE.test(scope) ? { user_id: user, provider, scope } : undefined;
}

/** The target when the body is one (the hand check, else the schema); undefined when it is not. */
export const wellFormedTarget = (body: unknown): Target | undefined => {
  const plain = plainTarget(body);
  if (plain) return plain;
  const parsed = TARGET.safeParse(body);
  return parsed.success ? parsed.data : undefined;
};

export function parseTarget(body: unknown): Target {
  const plain = plainTarget(body);
  if (plain) return plain;
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

/** The provider as the client may ask for it, and the user's row there (undefined: not connected; null: unreadable). */
export interface TargetView {
  stored: StoredProvider | undefined;
  row: ConnectionRow | undefined | null;
}

/**
 * The provider and the user's row in one read where the storage has it (the user's rows with the provider
 * list's version, the list kept in the process), else in two.
 */
export async function targetView(
  deps: Pick<StandaloneDeps, 'providers' | 'connections'>,
  client: TokenClient,
  userId: string,
  providerId: string,
): Promise<TargetView> {
  if (!client.providers.includes(providerId)) return { stored: undefined, row: undefined };
  if (deps.connections.withProviders) return targetInView(await deps.connections.withProviders(userId), client, providerId);
  const stored = await deps.providers.get(providerId);
  return { stored, row: stored ? await deps.connections.get(userId, providerId).catch(() => null) : undefined };
}

/** The target in a view already read (the user's, or the token endpoint's one read, which holds only that provider's row). */
export async function targetInView(view: UserConnections, client: TokenClient, providerId: string): Promise<TargetView> {
  const stored = client.providers.includes(providerId) ? view.providers.find((p) => p.id === providerId) : undefined;
  return { stored, row: stored ? await view.opened(providerId).catch(() => null) : undefined };
}

/** What targetView found, or the refusal: provider_not_allowed, then not_connected / reconnect_required. */
export function usableTarget(view: TargetView, providerId: string): { stored: StoredProvider; row: ConnectionRow } {
  const stored = view.stored;
  if (!stored) throw new TokenApiError('provider_not_allowed', `This client may not ask for tokens of the provider "${providerId}".`);
  return { stored, row: usableRow(view.row, stored) };
}

function usableRow(row: ConnectionRow | undefined | null, stored: StoredProvider): ConnectionRow {
  // Tokens that do not open here (another key, a moved provider) need a reconnect, as the commands say.
  if (row === null) throw new TokenApiError('reconnect_required', `The user's "${stored.id}" connection cannot be read here; they must reconnect.`);
  if (!row) throw notConnected(stored);
  if (row.connection.broken) throw new TokenApiError('reconnect_required', `The user's "${stored.id}" connection no longer works; they must reconnect.`);
  return row;
}

/** The refusal when the user has no connection at the provider (also a consent whose connection went before its grant was written). */
export const notConnected = (stored: StoredProvider): TokenApiError =>
  new TokenApiError('not_connected', `The user is not connected to "${stored.id}"; ask the service to prompt them (POST /api/v1/connect-request).`);

/** The user's usable connection at the provider, or not_connected / reconnect_required. */
export async function connectedRow(deps: Pick<StandaloneDeps, 'connections'>, userId: string, stored: StoredProvider): Promise<ConnectionRow> {
  // Tokens that do not open here (another key, a moved provider) need a reconnect, as the commands say.
  const row = await deps.connections.get(userId, stored.id).catch(() => null);
  if (row === null) throw new TokenApiError('reconnect_required', `The user's "${stored.id}" connection cannot be read here; they must reconnect.`);
  if (!row) throw notConnected(stored);
  if (row.connection.broken) throw new TokenApiError('reconnect_required', `The user's "${stored.id}" connection no longer works; they must reconnect.`);
  return row;
}
