// The App's calls this panel makes, with the expand each handler needs
// (shared/apps-framework-protocol.md §2.4). Paths come from the App's own table.
import { CALL_EXPAND } from '../src/apps/expand.js';
import { CallPath } from '../src/apps/paths.js';
import type { PanelProvider } from '../src/apps/panel_types.js';
import type { AppCall, Expand, FormValues } from './wire_types.js';

// The App's handlers read the user's tokens and write oauth2/user (the acting
// user's token) and read both summaries: the same expand as its own bindings.
const USER_TOKEN_EXPAND: Expand = CALL_EXPAND;

export const panelCall: AppCall = { path: CallPath.panel, expand: USER_TOKEN_EXPAND };

export const connectCall: AppCall = { path: CallPath.connect, expand: USER_TOKEN_EXPAND };

export const disconnectCall: AppCall = { path: CallPath.disconnect, expand: USER_TOKEN_EXPAND };

export const providerAddFormCall: AppCall = { path: CallPath.providerAddForm, expand: USER_TOKEN_EXPAND };

/** The values of connect and disconnect: the provider as a select option. */
export function providerValues(provider: Pick<PanelProvider, 'id' | 'display_name'>): FormValues {
  return { provider: { label: provider.display_name, value: provider.id } };
}
