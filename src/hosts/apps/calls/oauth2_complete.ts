/**
 * The framework's on_oauth2_complete call: the plugin already checked the
 * state's single use and owner. Here: the flow record (deleted on use, 15
 * minutes), the provider's answer (error, iss, code exchange, id_token), the
 * account (a reconnect must return the same one), then the token is sealed
 * and stored and the user gets a DM. Round trips: the token request, then the
 * token write, the summary write and the DM post.
 */
import { ok } from '../protocol/responses.js';
import type { CallRequest } from '../protocol/types.js';
import { findProvider, type StoredProvider } from '../../../core/provider_records.js';
import { liveFlows, type UserState } from '../store/user_state.js';
import { completeConnection } from '../../../core/complete_connection.js';
import { actingUser, userClient, userStateOf } from './context.js';
import { coreRequest } from './core_request.js';
import type { Deps, Handler } from './deps.js';
import { UserFacingError } from '../../../core/errors.js';
import { md } from '../../../core/format.js';
import { connectFailedMessage, FLOW_TTL_MS, START_AGAIN } from '../../../core/connect_flow.js';
import { sendDm } from './notify.js';
import { pluginState, stateHash } from './oauth2_connect.js';
import { openProvider } from '../../../core/providers.js';
import { mapError } from './error_mapper.js';
import { PROVIDER_PARAM, providerRedirectUri } from './redirect_uri.js';
import { isOAuthError } from '@oauth2-connect/engine';

function takeFlow(summary: UserState, state: string, now: number): { provider: string; rest: UserState } {
  const hash = stateHash(state);
  const flow = liveFlows(summary.flows, now).find((f) => f.h === hash);
  const rest: UserState = { ...summary, flows: summary.flows.filter((f) => f.h !== hash && now - f.at < FLOW_TTL_MS) };
  if (!flow) throw new UserFacingError(`This connection attempt has expired or was already used. ${START_AGAIN}`);
  return { provider: flow.p, rest };
}

/** The redirect names its provider (see redirect_uri.ts): one that differs from the flow's is a mix-up, refused before any request. */
function checkRedirectProvider(req: CallRequest, stored: StoredProvider): void {
  if (req.values?.[PROVIDER_PARAM] === stored.id) return;
  throw new UserFacingError(
    `This sign-in came back through another provider's redirect address than the ${md(stored.display_name)} sign-in you started, so it was not used (a mix-up between providers). ${START_AGAIN}`,
  );
}

/** The engine's checks and the exchange; then the core checks the account, saves the connection and notifies. */
async function exchangeAndSave(req: CallRequest, deps: Deps, rest: UserState, stored: StoredProvider, state: string): Promise<void> {
  const completeUrl = req.context.oauth2?.complete_url;
  if (!completeUrl) throw new UserFacingError('The App did not receive its redirect URI (complete_url).');
  const redirectUri = providerRedirectUri(completeUrl, stored.id);
  const params = Object.fromEntries(Object.entries(req.values ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== PROVIDER_PARAM));
  const { code_verifier, nonce } = deps.flowSecrets(state);
  const config = openProvider(stored, deps);
  const done = await deps.engine.complete(config, { params, redirect_uri: redirectUri, expected_state: state, code_verifier, nonce }).catch((err: unknown) => {
    if (!isOAuthError(err, 'redirect_uri_mismatch')) throw err;
    throw new UserFacingError(`${err.userMessage} The redirect URI to register at ${md(stored.display_name)} is ${redirectUri}`);
  });
  await completeConnection(coreRequest(req, deps, rest), deps, stored, config, done);
}

export const oauth2Complete: Handler = async (req, deps) => {
  const user = actingUser(req);
  const state = pluginState(req, user.id);
  const summary = userStateOf(req);
  const { provider, rest } = takeFlow(summary, state, deps.now());
  const stored = findProvider(req.context.oauth2?.data, provider);
  try {
    if (!stored) throw new UserFacingError(`The provider \`${provider}\` was removed while you were connecting.`);
    checkRedirectProvider(req, stored);
    await exchangeAndSave(req, deps, rest, stored, state);
    return ok(`Connected to ${stored.display_name}.`);
  } catch (err) {
    // The flow is used up whatever happened (the repository already dropped a new token whose summary write failed).
    await userClient(req, deps)
      .storeOAuth2User(rest)
      .catch(() => undefined);
    const mapped = mapError(err).response;
    const reason = mapped.type === 'error' ? mapped.text : 'an unexpected error';
    await sendDm(req, deps, rest, connectFailedMessage(stored?.display_name ?? provider, reason));
    throw err;
  }
};
