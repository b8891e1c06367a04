/**
 * One view of the acting user's connections, shared by `status` and the
 * webapp panel: providers, summary, and each connected token's expiry (one
 * KV read per connected provider).
 */
import type { CallRequest } from '../protocol/types.js';
import type { PanelProvider } from '../protocol/panel_types.js';
import { actingUser, providersOf, userStateOf } from './context.js';
import { tokenSlot, userTokenStore } from './seal_slots.js';
import { NOT_HERE, isWrongBinding } from './token_access.js';
import type { Deps } from './deps.js';

export async function connectionView(req: CallRequest, deps: Deps): Promise<PanelProvider[]> {
  const summary = userStateOf(req);
  const providers = providersOf(req);
  const anyConnected = providers.some((p) => summary.connections[p.id]);
  const store = anyConnected ? userTokenStore(req, deps) : undefined;
  return Promise.all(
    providers.map(async (p): Promise<PanelProvider> => {
      const c = summary.connections[p.id];
      const base = { id: p.id, display_name: p.display_name, preset: p.preset };
      if (!c || !store) return { ...base, connected: false };
      let expiresAt: number | undefined;
      let unreadable: string | undefined;
      try {
        expiresAt = (await store.load(p.id, tokenSlot(actingUser(req).id, p)))?.expires_at;
      } catch (err) {
        // Only a key problem is shown on the provider's line; Mattermost being unreachable fails the call with its own message.
        if (!(err instanceof Error && err.name === 'TokenCipherError')) throw err;
        deps.logger.warn('token unreadable', { provider: p.id, error: err });
        unreadable = isWrongBinding(err) ? NOT_HERE : 'the App cannot read the stored token (ask a system admin to check the encryption key)';
      }
      const broken = c.broken ?? unreadable;
      return {
        ...base,
        connected: true,
        account_label: c.label,
        connected_at: c.since,
        ...(expiresAt !== undefined && { expires_at: expiresAt }),
        ...(broken && { broken: true, broken_reason: broken }),
      };
    }),
  );
}
