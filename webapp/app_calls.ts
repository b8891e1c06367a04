// The App's calls this panel makes, with the expand each handler needs
// (shared/apps-framework-protocol.md §2.4). Paths come from the App's own table.
import { CallPath } from '../src/apps/paths.js';
import type { PanelProvider } from '../src/apps/panel_types.js';
import type { AppCall, Expand, FormValues } from './wire_types.js';

// Connect and disconnect write oauth2/user, which needs the acting user's token.
const USER_TOKEN_EXPAND: Expand = {
  acting_user: 'summary',
  acting_user_access_token: 'all',
  oauth2_app: 'all',
  oauth2_user: 'all',
};

export const panelCall: AppCall = {
  path: CallPath.panel,
  expand: { acting_user: 'summary', oauth2_user: 'all', oauth2_app: 'all' },
};

export const connectCall: AppCall = { path: CallPath.connect, expand: USER_TOKEN_EXPAND };

export const disconnectCall: AppCall = { path: CallPath.disconnect, expand: USER_TOKEN_EXPAND };

export const providerAddFormCall: AppCall = {
  path: CallPath.providerAddForm,
  expand: { acting_user: 'summary' },
};

/** The values of connect and disconnect: the provider as a select option. */
export function providerValues(provider: Pick<PanelProvider, 'id' | 'display_name'>): FormValues {
  return { provider: { label: provider.display_name, value: provider.id } };
}
