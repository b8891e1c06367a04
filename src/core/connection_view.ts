/**
 * One view of the user's connections, shared by `status` and the webapp
 * panel: providers, connections, and each connected token's expiry (opened
 * from the rows read with the view, or one read per connected provider).
 */
import type { ConnectionRow } from './ports.js';
import type { PanelProvider } from './panel_provider.js';
import type { Connection } from './record_schemas.js';
import type { StoredProvider } from './provider_records.js';
import type { CoreDeps, CoreRequest } from './request.js';
import { NOT_HERE, isWrongBinding } from './token_use.js';
import { userView, type UserView } from './user_connections.js';

/** One provider's line (the webapp panel's PanelProvider). */
export type ConnectionView = PanelProvider;

type RowOf = (providerId: string) => Promise<ConnectionRow | undefined>;

async function tokenExpiry(deps: CoreDeps, p: StoredProvider, rowOf: RowOf): Promise<{ expiresAt?: number; unreadable?: string }> {
  try {
    const expiresAt = (await rowOf(p.id))?.tokens.expires_at;
    return expiresAt === undefined ? {} : { expiresAt };
  } catch (err) {
    // Only a key problem is shown on the provider's line; storage being unreachable fails the call with its own message.
    if (!(err instanceof Error && err.name === 'TokenCipherError')) throw err;
    deps.logger.warn('token unreadable', { provider: p.id, error: err });
    return { unreadable: isWrongBinding(err) ? NOT_HERE : 'the App cannot read the stored token (ask a system admin to check the encryption key)' };
  }
}

async function viewOf(deps: CoreDeps, p: StoredProvider, c: Connection | undefined, rowOf: RowOf): Promise<ConnectionView> {
  const base = { id: p.id, display_name: p.display_name, preset: p.preset };
  if (!c) return { ...base, connected: false };
  const { expiresAt, unreadable } = await tokenExpiry(deps, p, rowOf);
  const broken = c.broken ?? unreadable;
  return {
    ...base,
    connected: true,
    account_label: c.label,
    connected_at: c.since,
    ...(expiresAt !== undefined && { expires_at: expiresAt }),
    ...(broken && { broken: true, broken_reason: broken }),
  };
}

export async function connectionView(req: CoreRequest, deps: CoreDeps): Promise<ConnectionView[]> {
  return connectionViewOf(await userView(req), deps);
}

/** The lines of a view already read (status and the panel read it once, and its grants with it where the storage did). */
export function connectionViewOf({ providers, connections, row }: UserView, deps: CoreDeps): Promise<ConnectionView[]> {
  return Promise.all(providers.map((p) => viewOf(deps, p, connections[p.id], row)));
}
