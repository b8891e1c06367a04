/**
 * The remote provider's side of a connect: the authorization request (PKCE,
 * nonce, state = a 'flow' record bound to the user, the provider and the
 * browser session) and its callback at /standalone/complete/<provider id>.
 */
import { completeConnection } from '../../../core/complete_connection.js';
import { connectFailedMessage, FLOW_TTL_MS, START_AGAIN } from '../../../core/connect_flow.js';
import { UserFacingError } from '../../../core/errors.js';
import { standaloneCoreRequest } from './core_request.js';
import type { Connection } from '../../../core/record_schemas.js';
import type { StandaloneDeps } from '../deps.js';
import { classifyFailure } from '../failures.js';
import type { BrowserSession } from '../ports.js';
import { completeUrl, registeredProvider } from '../providers.js';
import { openProvider } from '../../../core/providers.js';
import { hashValue, randomValue, sameText } from '../secrets.js';

/** Stores the flow record and returns the provider's authorize URL. */
export async function startProviderFlow(deps: StandaloneDeps, session: BrowserSession, providerId: string): Promise<string> {
  const stored = await registeredProvider(deps, providerId);
  const state = randomValue();
  await deps.oneTime.put({
    key_hash: hashValue(state),
    purpose: 'flow',
    user_id: session.user_id,
    provider_id: stored.id,
    data: JSON.stringify({ s: session.id_hash }),
    expires_at: deps.now() + FLOW_TTL_MS,
  });
  const { code_verifier, nonce } = deps.flowSecrets(state);
  return deps.engine.authorizationUrl(openProvider(stored, deps), { state, redirect_uri: completeUrl(deps.settings.rootUrl, stored.id), code_verifier, nonce });
}

function sessionHashOf(data: string | undefined): string {
  try {
    const parsed = JSON.parse(data ?? '') as { s?: unknown };
    return typeof parsed.s === 'string' ? parsed.s : '';
  } catch {
    return '';
  }
}

export interface CompletedConnect {
  providerName: string;
  connection: Connection;
  userId: string;
}

/** The provider's redirect: flow record, session, provider, then the engine's checks and the exchange. */
export async function completeProviderFlow(
  deps: StandaloneDeps,
  pathProvider: string,
  params: Record<string, string>,
  session: BrowserSession | undefined,
): Promise<CompletedConnect> {
  const state = params.state;
  if (!state || state.length > 256) {
    throw new UserFacingError(
      params.error === 'access_denied'
        ? `You declined the access at the provider. ${START_AGAIN}`
        : `The provider's answer carries no valid state. ${START_AGAIN}`,
    );
  }
  const flow = await deps.oneTime.take(hashValue(state), 'flow', deps.now());
  if (!flow) throw new UserFacingError(`This connection attempt has expired or was already used. ${START_AGAIN}`);
  if (flow.provider_id !== pathProvider)
    throw new UserFacingError(`The answer came back for another provider than the one this connection was started with. ${START_AGAIN}`, { status: 403 });
  if (!session || session.user_id !== flow.user_id || !sameText(session.id_hash, sessionHashOf(flow.data))) {
    throw new UserFacingError(`This connection was started in another browser session. ${START_AGAIN}`, { status: 403 });
  }
  // From here the user is known (their own session and flow): a failure is told in a DM too, as on the Apps host.
  const request = standaloneCoreRequest(deps, flow.user_id, false, {});
  let name = flow.provider_id;
  try {
    const stored = await registeredProvider(deps, flow.provider_id);
    name = stored.display_name;
    const config = openProvider(stored, deps);
    const { code_verifier, nonce } = deps.flowSecrets(state);
    const done = await deps.engine.complete(config, {
      params,
      redirect_uri: completeUrl(deps.settings.rootUrl, stored.id),
      expected_state: state,
      code_verifier,
      nonce,
    });
    const connection = await completeConnection(request, deps, stored, config, done).catch((err: unknown) => {
      // The page is plain text: the core's Markdown emphasis is dropped.
      if (err instanceof UserFacingError) throw new UserFacingError(err.message.replace(/\*\*|`/g, ''), { status: 409 });
      throw err;
    });
    return { providerName: stored.display_name, connection, userId: flow.user_id };
  } catch (err) {
    await request.host.notify(flow.user_id, connectFailedMessage(name, failureReason(err)));
    throw err;
  }
}

/** What the user is told went wrong: what the page says (failures.ts), nothing internal; the page's route writes the log line. */
const failureReason = (err: unknown): string => classifyFailure(err).text ?? 'something went wrong on the service.';
