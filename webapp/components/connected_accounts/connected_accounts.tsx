/** @jsxRuntime automatic */
// The "Connected accounts" panel: shown in the right-hand sidebar and in the
// user settings. It loads on mount and reloads when the window regains focus,
// which is when a user comes back from signing in at a provider.
import { useCallback, useEffect, useState } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import type { PanelGrant, PanelProvider } from '../../../src/hosts/apps/protocol/panel_types.js';
import {
  addProviderThroughCommand,
  connectProvider,
  disconnectProvider,
  dismissNotice,
  loadPanel,
  revokeGrant,
  showNotice,
  type AppDispatch,
} from '../../actions.js';
import { openBlankPopup } from '../../popup.js';
import { getPanelState, type HostState } from '../../selectors.js';
import { CLASS, PANEL_CSS } from '../../styles.js';
import { ProviderFormModal } from '../provider_form_modal/provider_form_modal.js';
import { ProviderRow } from '../provider_row/provider_row.js';
import { NoticeBar } from './notice_bar.js';

export const EMPTY_TEXT = 'No providers are registered yet. An admin can add one with /oauth2 provider add';

export function ConnectedAccounts() {
  const dispatch = useDispatch<AppDispatch>();
  const panel = useSelector((state: HostState) => getPanelState(state));
  const reload = useCallback(() => void dispatch(loadPanel()), [dispatch]);
  // Local, not in the store: the panel can be mounted twice (sidebar and
  // settings), and each instance owns its own modal.
  const [formOpen, setFormOpen] = useState(false);

  // Re-render each minute so "token expires in 5 minutes" stays true while open.
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    reload();
    window.addEventListener('focus', reload);
    return () => window.removeEventListener('focus', reload);
  }, [reload]);

  const onConnect = (provider: PanelProvider) => {
    // Opened here, inside the click, so popup blockers let it through.
    const popup = openBlankPopup(`oauth2-connect-${provider.id}`);
    void dispatch(connectProvider(provider, popup));
  };
  const onDisconnect = (provider: PanelProvider) => void dispatch(disconnectProvider(provider));
  const onRevoke = (provider: PanelProvider, grant: PanelGrant) => void dispatch(revokeGrant(provider, grant));
  // The standalone host has no Apps form: its command opens Mattermost's own dialog.
  const onAddProvider = () => (panel.host === 'standalone' ? void dispatch(addProviderThroughCommand()) : setFormOpen(true));

  const providers = panel.data?.providers ?? [];
  return (
    <section className={`${CLASS}-panel`} aria-labelledby={`${CLASS}-title`} aria-busy={panel.status === 'loading'}>
      <style>{PANEL_CSS}</style>
      {/* The sidebar and the settings section show this title already; screen readers still need it. */}
      <h2 id={`${CLASS}-title`} className={`${CLASS}-sr-only`}>
        Connected accounts
      </h2>
      {panel.notice && <NoticeBar notice={panel.notice} onDismiss={() => dispatch(dismissNotice())} />}
      {panel.status === 'error' && (
        <div className={`${CLASS}-notice ${CLASS}-notice-error`} role="alert">
          <p>{panel.error}</p>
          <button type="button" className={`${CLASS}-btn ${CLASS}-btn-secondary`} onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {!panel.data && panel.status !== 'error' && (
        <p className={`${CLASS}-muted`} role="status">
          Loading your connected accounts…
        </p>
      )}
      {panel.data && providers.length === 0 && <p className={`${CLASS}-muted`}>{EMPTY_TEXT}</p>}
      {providers.length > 0 && (
        <ul className={`${CLASS}-list`} aria-label="OAuth2 providers">
          {providers.map((provider) => (
            <ProviderRow
              key={provider.id}
              provider={provider}
              pending={panel.pending}
              now={now}
              onConnect={onConnect}
              onDisconnect={onDisconnect}
              onRevoke={onRevoke}
            />
          ))}
        </ul>
      )}
      {panel.data?.is_admin && (
        <div className={`${CLASS}-footer`}>
          <button type="button" className={`${CLASS}-btn ${CLASS}-btn-secondary`} onClick={onAddProvider}>
            Add a provider
          </button>
        </div>
      )}
      {formOpen && (
        <ProviderFormModal
          onClose={(notice) => {
            setFormOpen(false);
            if (notice) dispatch(showNotice(notice));
            if (notice?.kind === 'info') reload();
          }}
        />
      )}
    </section>
  );
}
