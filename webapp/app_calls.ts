// The App's calls this panel makes (docs/mattermost.md, "Context and expand"): paths
// from the App's own table, and the App's one CALL_EXPAND, since its handlers read
// the user's token and both oauth2 summaries.
import { CALL_EXPAND } from '../src/hosts/apps/protocol/expand.js';
import { CallPath } from '../src/hosts/apps/protocol/paths.js';
import type { PanelProvider } from '../src/hosts/apps/protocol/panel_types.js';
import type { AppCall, FormValues } from './wire_types.js';

export const panelCall: AppCall = { path: CallPath.panel, expand: CALL_EXPAND };

export const connectCall: AppCall = { path: CallPath.connect, expand: CALL_EXPAND };

export const disconnectCall: AppCall = { path: CallPath.disconnect, expand: CALL_EXPAND };

export const providerAddFormCall: AppCall = { path: CallPath.providerAddForm, expand: CALL_EXPAND };

/** The values of connect and disconnect: the provider as a select option. */
export function providerValues(provider: Pick<PanelProvider, 'id' | 'display_name'>): FormValues {
  return { provider: { label: provider.display_name, value: provider.id } };
}
