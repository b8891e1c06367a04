/**
 * The "Connected accounts" panel's data on the standalone host: every
 * registered provider with the user's connection, read from the repositories
 * (no token is opened: the summary carries the expiry). The same shape as the
 * Apps host's PanelData (one PanelProvider type in the core), so the webapp
 * plugin renders either.
 */
import type { PanelProvider } from '../../../core/panel_provider.js';
import type { ConnectionRepository, ProviderRepository } from '../../../core/ports.js';

export type PanelProviderView = PanelProvider;

export interface PanelView {
  providers: PanelProviderView[];
  is_admin: boolean;
}

export async function panelView(
  deps: { providers: ProviderRepository; connections: ConnectionRepository },
  userId: string,
  isAdmin: boolean,
): Promise<PanelView> {
  const [providers, summaries] = await Promise.all([deps.providers.list(), deps.connections.summaries(userId)]);
  const views = providers.map((p): PanelProviderView => {
    const base = { id: p.id, display_name: p.display_name, preset: p.preset };
    const c = summaries[p.id];
    if (!c) return { ...base, connected: false };
    return {
      ...base,
      connected: true,
      account_label: c.label,
      connected_at: c.since,
      ...(c.expires_at !== undefined && { expires_at: c.expires_at }),
      ...(c.broken !== undefined && { broken: true, broken_reason: c.broken }),
    };
  });
  return { providers: views, is_admin: isAdmin };
}
