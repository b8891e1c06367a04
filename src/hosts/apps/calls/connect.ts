/**
 * `/oauth2 connect [provider]`: remembers the chosen provider in the user's
 * summary and answers with the Apps plugin's connect_url, which the browser
 * opens to start the flow (see oauth2_connect.ts).
 */
import { ok } from '../protocol/responses.js';
import type { ConnectData } from '../protocol/panel_types.js';
import type { Handler } from './deps.js';
import { providersOf, userClient, userStateOf } from './context.js';
import { chosenProvider } from './provider_access.js';
import { UserFacingError } from '../../../core/errors.js';
import { md } from '../../../core/format.js';
import { FLOW_TTL_TEXT } from '../../../core/connect_flow.js';

export const connect: Handler = async (req, deps) => {
  const state = userStateOf(req);
  const connectable = providersOf(req).filter((p) => !state.connections[p.id] || state.connections[p.id]?.broken);
  const provider = chosenProvider(req, connectable, 'connect');
  const connectUrl = req.context.oauth2?.connect_url;
  if (!connectUrl)
    throw new UserFacingError('The App did not receive its connect URL: it needs the remote_oauth2 permission. Ask a system admin to reinstall it.');
  await userClient(req, deps).storeOAuth2User({ ...state, pending: { p: provider.id, at: deps.now() } });
  const existing = state.connections[provider.id];
  const verb = existing ? 'Reconnect' : 'Connect';
  const note = existing && !existing.broken ? ` You are already connected as **${md(existing.label)}**; connecting again refreshes the connection.` : '';
  const data: ConnectData = { connect_url: connectUrl, provider: provider.id };
  // No refresh_bindings here: nothing the bindings show has changed until the flow completes.
  return ok(`[${verb} your ${md(provider.display_name)} account](${connectUrl}). The link works for ${FLOW_TTL_TEXT}.${note}`, data);
};
