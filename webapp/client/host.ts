// Which host serves the App on this server, found by the plugin itself: the Apps
// plugin with the oauth2-connect App installed (Mattermost up to v11), else the
// standalone service's `/oauth2` command (v12, no Apps framework). The host
// that answered last is tried first; when neither answers, the panel says so.
import type { PanelGrant, PanelProvider } from '../../src/hosts/apps/protocol/panel_types.js';
import { connectCall, disconnectCall, panelCall, providerValues } from '../app_calls.js';
import type { CallResponse } from '../wire_types.js';
import { callApp, Messages, type CallOrigin } from './apps_client.js';
import { runPanelCommand, type CommandOutcome } from './command_client.js';

export type HostKind = 'apps' | 'standalone';

export const NOT_SET_UP =
  'OAuth2 Connect is not set up on this server: ask a system admin to set up the OAuth2 Connect service (its /oauth2 command), or to install the oauth2-connect App in the Apps plugin.';

const isAppMissing = (res: CallResponse) => res.type === 'error' && res.text === Messages.notInstalled;

function fromCommand(outcome: CommandOutcome): CallResponse | null {
  if (outcome.kind === 'absent') return null;
  if (outcome.kind === 'failed') return { type: 'error', text: outcome.text };
  return outcome.response ?? null;
}

async function panelFrom(origin: CallOrigin, host: HostKind): Promise<CallResponse | null> {
  if (host === 'standalone') return fromCommand(await runPanelCommand(origin, '__panel'));
  const res = await callApp(origin, panelCall);
  return isAppMissing(res) ? null : res;
}

/** The panel's answer and the host that gave it (null when neither is set up). */
export async function loadPanelFrom(origin: CallOrigin, known: HostKind | null): Promise<{ host: HostKind | null; response: CallResponse }> {
  const order: HostKind[] = known === 'standalone' ? ['standalone', 'apps'] : ['apps', 'standalone'];
  for (const host of order) {
    const response = await panelFrom(origin, host);
    if (response) return { host, response };
  }
  return { host: null, response: { type: 'error', text: NOT_SET_UP } };
}

/** Connect or disconnect through the host that loaded the panel. */
export async function providerActionOn(
  origin: CallOrigin,
  host: HostKind | null,
  action: 'connect' | 'disconnect',
  provider: Pick<PanelProvider, 'id' | 'display_name'>,
): Promise<CallResponse> {
  if (host === 'standalone') return fromCommand(await runPanelCommand(origin, `__${action} ${provider.id}`)) ?? { type: 'error', text: NOT_SET_UP };
  return callApp(origin, action === 'connect' ? connectCall : disconnectCall, providerValues(provider));
}

/** Revoke an integration's grant: only the standalone host has grants (the Apps host's panel shows none). */
export async function revokeGrantOn(
  origin: CallOrigin,
  host: HostKind | null,
  provider: Pick<PanelProvider, 'id'>,
  grant: Pick<PanelGrant, 'client_id'>,
): Promise<CallResponse> {
  if (host !== 'standalone') return { type: 'error', text: NOT_SET_UP };
  return fromCommand(await runPanelCommand(origin, `__revoke ${grant.client_id} ${provider.id}`)) ?? { type: 'error', text: NOT_SET_UP };
}
