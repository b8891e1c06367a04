/**
 * The framework's get_oauth2_connect_url call: the plugin made a state
 * (random.userid, single use, 15 minutes) and asks for the provider's
 * authorize URL. The PKCE verifier and nonce are derived from the state
 * under the App's key, so the flow record only says which provider it is for.
 */
import { createHash } from 'node:crypto';
import { ok } from '../protocol/responses.js';
import type { CallRequest } from '../protocol/types.js';
import { requiredText } from '../protocol/values.js';
import { liveFlows } from '../store/user_state.js';
import { findProvider } from '../../../core/provider_records.js';
import type { Handler } from './deps.js';
import { actingUser, userClient, userStateOf } from './context.js';
import { dmChannel } from './notify.js';
import { openProvider } from '../../../core/providers.js';
import { UserFacingError } from '../../../core/errors.js';
import { providerRedirectUri } from './redirect_uri.js';
import { FLOW_TTL_MS, START_AGAIN } from '../../../core/connect_flow.js';

export const stateHash = (state: string): string => createHash('sha256').update(state).digest('base64url').slice(0, 22);

/** The plugin's state: base64url of 15 random bytes, ".", the user id (CreateState in the Apps plugin's server/store/oauth2.go). */
const STATE_FORMAT = /^[A-Za-z0-9_-]{20}\.([A-Za-z0-9]{1,64})$/;

/**
 * The state as the plugin makes it, for this user; checked before anything
 * (PKCE verifier, nonce, flow hash) is derived from it.
 */
export function pluginState(req: CallRequest, userId: string): string {
  const state = requiredText(req.values, 'state', 'The state');
  const owner = STATE_FORMAT.exec(state)?.[1];
  if (owner === undefined) throw new UserFacingError(`This link's state is not one the Apps plugin makes. ${START_AGAIN}`);
  if (owner !== userId) throw new UserFacingError(`This connect link belongs to another session. ${START_AGAIN}`);
  return state;
}

export const oauth2Connect: Handler = async (req, deps) => {
  const user = actingUser(req);
  const state = pluginState(req, user.id);
  const summary = userStateOf(req);
  const now = deps.now();
  if (!summary.pending || now - summary.pending.at > FLOW_TTL_MS)
    throw new UserFacingError(`This connect link has expired or was not started from Mattermost. ${START_AGAIN}`);
  const stored = findProvider(req.context.oauth2?.data, summary.pending.p);
  if (!stored) throw new UserFacingError(`The provider \`${summary.pending.p}\` is no longer registered. ${START_AGAIN}`);
  const redirectUri = req.context.oauth2?.complete_url;
  if (!redirectUri) throw new UserFacingError('The App did not receive its redirect URI (complete_url): it needs the remote_oauth2 permission.');

  const { code_verifier, nonce } = deps.flowSecrets(state);
  const url = await deps.engine.authorizationUrl(openProvider(stored, deps), {
    state,
    redirect_uri: providerRedirectUri(redirectUri, stored.id),
    code_verifier,
    nonce,
  });
  const flows = [...liveFlows(summary.flows, now).filter((f) => f.p !== stored.id), { h: stateHash(state), p: stored.id, at: now }];
  const dm = await dmChannel(req, deps, summary).catch(() => undefined);
  await userClient(req, deps).storeOAuth2User({ ...summary, flows, ...(dm && { dm }) });
  return ok(undefined, url);
};
